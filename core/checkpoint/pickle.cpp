#include "checkpoint/pickle.h"

#include "common/error.h"
#include "common/utf8.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace wse {

namespace {

using Kind = PickleValue::Kind;

// Constructors interpreted by the machine (see `call`).
const std::set<std::string> &constructors()
{
    static const std::set<std::string> names = {
        "collections.OrderedDict", "builtins.dict", "collections.defaultdict", "builtins.set", "builtins.frozenset",
        "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state", "torch.Size", "_codecs.encode", "builtins.bytearray",
        "builtins.list", "builtins.tuple"};
    return names;
}

const std::map<std::string, std::string> &storageDTypes()
{
    static const std::map<std::string, std::string> types = {
        {"torch.FloatStorage", "float32"}, {"torch.DoubleStorage", "float64"}, {"torch.HalfStorage", "float16"},
        {"torch.BFloat16Storage", "bfloat16"}, {"torch.LongStorage", "int64"}, {"torch.IntStorage", "int32"},
        {"torch.ShortStorage", "int16"}, {"torch.CharStorage", "int8"}, {"torch.ByteStorage", "uint8"},
        {"torch.BoolStorage", "bool"}};
    return types;
}

// Classes real training checkpoints pickle in their optimizer/scheduler state (e.g. the official
// SANE state.pt: AdamW + OneCycleLR, whose bound annealing method pickles via getattr). They hold
// no weights; they become placeholders that are never called.
const std::set<std::string> &placeholders()
{
    static const std::set<std::string> names = {
        "builtins.getattr", "torch.optim.adamw.AdamW", "torch.optim.adam.Adam", "torch.optim.sgd.SGD",
        "torch.optim.lr_scheduler.OneCycleLR", "torch.optim.lr_scheduler.LambdaLR", "torch.optim.lr_scheduler.StepLR",
        "torch.optim.lr_scheduler.MultiStepLR", "torch.optim.lr_scheduler.CosineAnnealingLR",
        "torch.optim.lr_scheduler.ExponentialLR", "torch.optim.lr_scheduler.ReduceLROnPlateau",
        "torch.optim.lr_scheduler.LinearLR", "torch.optim.lr_scheduler.SequentialLR",
        "torch.cuda.amp.grad_scaler.GradScaler", "torch.amp.grad_scaler.GradScaler", "torch.device", "torch.float32",
        "torch.float16", "torch.bfloat16", "numpy.core.multiarray.scalar", "numpy.core.multiarray._reconstruct",
        "numpy.dtype", "numpy.ndarray", "numpy._core.multiarray.scalar", "numpy._core.multiarray._reconstruct",
        "copyreg._reconstructor", "builtins.object", "functools.partial"};
    return names;
}

constexpr const char *GetAttr = "builtins.getattr";
constexpr const char *GetAttrResult = "builtins.getattr()"; // what a getattr REDUCE made

std::string canonicalModule(std::string module)
{
    if (module == "__builtin__")
        return "builtins"; // protocol 2 pickles written by Python 3 use the Python 2 name
    return module;
}

void dismantle(std::vector<PickleRef> &arena)
{
    for (const PickleRef &value : arena)
        value->items.clear(); // children stay alive in the arena: no recursive destruction
    arena.clear();
}

class Machine
{
public:
    Machine(const std::vector<uint8_t> &data, const std::string &label)
        : mData(data)
        , mLabel(label)
    {}
    ~Machine() { dismantle(mArena); }

    std::vector<PickleRef> takeArena() { return std::move(mArena); }

    // Opcodes that push one value (none, booleans, numbers, text, bytes); false for others.
    bool pushLiteral(uint8_t op)
    {
        switch (op) {
        case 'N': push(make(Kind::None)); break;
        case 0x88: case 0x89: { auto v = make(Kind::Bool); v->boolean = op == 0x88; push(v); break; }
        case 'K': pushInt(byte()); break;               // BININT1
        case 'M': pushInt(uint16()); break;             // BININT2
        case 'J': pushInt(int32_t(uint32())); break;    // BININT
        case 0x8a: pushInt(longBytes(byte())); break;   // LONG1
        case 0x8b: pushInt(longBytes(uint32())); break; // LONG4
        case 'G': {                                     // BINFLOAT (big-endian double)
            const std::string raw = bytes(8);
            uint64_t bits = 0;
            for (unsigned char c : raw)
                bits = bits << 8 | c;
            auto v = make(Kind::Float);
            std::memcpy(&v->real, &bits, 8);
            push(v);
            break;
        }
        case 'X': pushUnicode(bytes(uint32())); break;                // BINUNICODE
        case 0x8c: pushUnicode(bytes(byte())); break;                 // SHORT_BINUNICODE
        case 0x8d: pushUnicode(bytes(size_t(uint64()))); break;       // BINUNICODE8
        case 'U': pushText(Kind::String, bytes(byte())); break;       // SHORT_BINSTRING
        case 'T': pushText(Kind::String, bytes(uint32())); break;     // BINSTRING
        case 'C': pushText(Kind::Bytes, bytes(byte())); break;        // SHORT_BINBYTES
        case 'B': pushText(Kind::Bytes, bytes(uint32())); break;      // BINBYTES
        case 0x8e: pushText(Kind::Bytes, bytes(size_t(uint64()))); break; // BINBYTES8
        default:
            return false;
        }
        return true;
    }

    PickleRef run()
    {
        for (;;) {
            const uint8_t op = byte();
            switch (op) {
            case 0x80: byte(); break;                       // PROTO
            case 0x95: bytes(8); break;                     // FRAME
            case '.': return pop();                         // STOP
            case '(': mMarks.push_back(mStack.size()); break; // MARK
            case '0': pop(); break;                         // POP
            case '1': popMark(); break;                     // POP_MARK
            case '2': push(top()); break;                   // DUP
            case ')': push(make(Kind::Tuple)); break;                     // EMPTY_TUPLE
            case 't': { auto v = make(Kind::Tuple); v->items = popMark(); push(v); break; }
            case 0x85: case 0x86: case 0x87: {                            // TUPLE1..3
                auto v = make(Kind::Tuple);
                const size_t n = size_t(op - 0x84);
                need(n);
                v->items.assign(mStack.end() - long(n), mStack.end());
                mStack.resize(mStack.size() - n);
                push(v);
                break;
            }
            case ']': push(make(Kind::List)); break;                      // EMPTY_LIST
            case 'l': { auto v = make(Kind::List); v->items = popMark(); push(v); break; }
            case 'a': { auto item = pop(); extend(top(), {item}, Kind::List, "APPEND"); break; } // APPEND
            case 'e': { auto items = popMark(); extend(top(), items, Kind::List, "APPENDS"); break; } // APPENDS
            case '}': push(make(Kind::Dict)); break;                      // EMPTY_DICT
            case 'd': { auto v = make(Kind::Dict); v->items = popMark(); checkPairs(v->items); push(v); break; }
            case 's': { auto value = pop(); auto key = pop(); extend(top(), {key, value}, Kind::Dict, "SETITEM"); break; }
            case 'u': { auto items = popMark(); checkPairs(items); extend(top(), items, Kind::Dict, "SETITEMS"); break; }
            case 0x8f: push(make(Kind::List)); break;                     // EMPTY_SET (as a list)
            case 0x90: { auto items = popMark(); extend(top(), items, Kind::List, "ADDITEMS"); break; } // ADDITEMS
            case 0x91: { auto v = make(Kind::List); v->items = popMark(); push(v); break; } // FROZENSET
            case 'q': memoPut(byte()); break;                             // BINPUT
            case 'r': memoPut(uint32()); break;                           // LONG_BINPUT
            case 0x94: memoPut(uint32_t(mMemo.size())); break;            // MEMOIZE
            case 'h': push(memoGet(byte())); break;                       // BINGET
            case 'j': push(memoGet(uint32())); break;                     // LONG_BINGET
            case 'c': {                                                   // GLOBAL "module\nname\n"
                const std::string module = line();
                push(global(module, line()));
                break;
            }
            case 0x93: {                                                  // STACK_GLOBAL
                auto name = pop();
                auto module = pop();
                if (module->kind != Kind::String || name->kind != Kind::String)
                    fail("STACK_GLOBAL needs two strings");
                push(global(module->text, name->text));
                break;
            }
            case 'R': { auto args = pop(); auto callable = pop(); push(call(callable, args)); break; } // REDUCE
            case 0x81: { auto args = pop(); auto cls = pop(); push(call(cls, args)); break; } // NEWOBJ
            case 'b': { pop(); break; } // BUILD: state of a dict (OrderedDict _metadata) or placeholder: ignored
            case 'Q': { auto id = pop(); push(persistentLoad(id)); break; } // BINPERSID
            default: {
                if (pushLiteral(op))
                    break;
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", op);
                fail(std::string("unsupported pickle opcode ") + hex + " at byte " + std::to_string(mPosition - 1));
            }
            }
            if (mStack.size() > 1000000 || mMemo.size() > 10000000)
                fail("pickle nests too deeply");
        }
    }

private:
    [[noreturn]] void fail(const std::string &reason) const { throw FormatError(mLabel, "data.pkl: " + reason); }

    uint8_t byte()
    {
        if (mPosition >= mData.size())
            fail("pickle data ends before STOP (truncated)");
        return mData[mPosition++];
    }
    std::string bytes(size_t count)
    {
        if (count > mData.size() - mPosition)
            fail("pickle data ends inside a value (truncated)");
        std::string out(reinterpret_cast<const char *>(mData.data() + mPosition), count);
        mPosition += count;
        return out;
    }
    uint16_t uint16() { const std::string b = bytes(2); return uint16_t(uint8_t(b[0]) | uint8_t(b[1]) << 8); }
    uint32_t uint32()
    {
        const std::string b = bytes(4);
        return uint32_t(uint8_t(b[0])) | uint32_t(uint8_t(b[1])) << 8 | uint32_t(uint8_t(b[2])) << 16 |
               uint32_t(uint8_t(b[3])) << 24;
    }
    uint64_t uint64() { const uint64_t low = uint32(); return low | uint64_t(uint32()) << 32; }
    int64_t longBytes(uint64_t count)
    {
        if (count > 8)
            fail("integer wider than 64 bits");
        const std::string b = bytes(size_t(count));
        uint64_t value = 0;
        for (size_t i = 0; i < b.size(); ++i)
            value |= uint64_t(uint8_t(b[i])) << (8 * i);
        if (count > 0 && count < 8 && (uint8_t(b.back()) & 0x80)) // sign-extend two's complement
            value |= ~uint64_t(0) << (8 * count);
        return int64_t(value);
    }
    std::string line()
    {
        const auto end = std::find(mData.begin() + long(mPosition), mData.end(), uint8_t('\n'));
        if (end == mData.end())
            fail("unterminated GLOBAL name");
        std::string text(mData.begin() + long(mPosition), end);
        mPosition = size_t(end - mData.begin()) + 1;
        return text;
    }

    PickleRef make(Kind kind)
    {
        auto value = std::make_shared<PickleValue>();
        value->kind = kind;
        mArena.push_back(value);
        return value;
    }

    void push(PickleRef value) { mStack.push_back(std::move(value)); }
    void pushInt(int64_t value) { auto v = make(Kind::Int); v->integer = value; push(v); }
    void pushText(Kind kind, std::string text) { auto v = make(kind); v->text = std::move(text); push(v); }
    // Python's unpickler refuses such text too; here it would reach messages and JSON output.
    void pushUnicode(std::string text)
    {
        const size_t bad = firstInvalidUtf8(text);
        if (bad != std::string::npos)
            fail("text ending at byte " + std::to_string(mPosition) + " is not valid UTF-8 (byte " +
                 std::to_string(bad) + " of " + std::to_string(text.size()) + ")");
        pushText(Kind::String, std::move(text));
    }
    void need(size_t count) const
    {
        const size_t floor = mMarks.empty() ? 0 : mMarks.back();
        if (mStack.size() < floor + count)
            fail("pickle stack underflow");
    }
    PickleRef pop() { need(1); PickleRef v = mStack.back(); mStack.pop_back(); return v; }
    const PickleRef &top() const { need(1); return mStack.back(); }
    std::vector<PickleRef> popMark()
    {
        if (mMarks.empty())
            fail("pickle MARK missing");
        const size_t mark = mMarks.back();
        mMarks.pop_back();
        std::vector<PickleRef> items(mStack.begin() + long(mark), mStack.end());
        mStack.resize(mark);
        return items;
    }
    void memoPut(uint32_t index) { mMemo[index] = top(); }
    PickleRef memoGet(uint32_t index) const
    {
        const auto it = mMemo.find(index);
        if (it == mMemo.end())
            fail("pickle memo entry " + std::to_string(index) + " missing");
        return it->second;
    }
    void checkPairs(const std::vector<PickleRef> &items) const
    {
        if (items.size() % 2)
            fail("odd number of items for a dict");
    }
    // APPEND(S)/ADDITEMS into a list, SETITEM(S) into a dict; placeholders swallow items.
    void extend(const PickleRef &target, const std::vector<PickleRef> &items, Kind expected, const char *operation) const
    {
        if (target->kind == Kind::Placeholder)
            return;
        if (target->kind != expected)
            fail(std::string(operation) + " on something that is not a " + (expected == Kind::List ? "list" : "dict"));
        target->items.insert(target->items.end(), items.begin(), items.end());
    }

    PickleRef global(const std::string &rawModule, const std::string &name)
    {
        const std::string full = canonicalModule(rawModule) + "." + name;
        if (constructors().count(full) || storageDTypes().count(full)) {
            auto v = make(Kind::Global);
            v->text = full;
            return v;
        }
        if (placeholders().count(full)) {
            auto v = make(Kind::Placeholder);
            v->text = full;
            return v;
        }
        throw FormatError(mLabel, "refusing to load global '" + full +
                                      "': a checkpoint of weights needs no such object (the file may run code when "
                                      "loaded by Python's pickle; it was not loaded)");
    }

    static std::vector<int64_t> intTuple(const PickleValue &value, const char *what, const Machine &machine)
    {
        if (value.kind != Kind::Tuple && value.kind != Kind::List)
            machine.fail(std::string(what) + " is not a tuple");
        std::vector<int64_t> out;
        for (const PickleRef &item : value.items) {
            if (item->kind != Kind::Int || item->integer < 0)
                machine.fail(std::string(what) + " holds something other than a non-negative integer");
            out.push_back(item->integer);
        }
        return out;
    }

    // We never call placeholders, but torch.load does. getattr is allowed because schedulers pickle
    // bound methods with it (OneCycleLR: getattr(scheduler, "_annealing_cos")); a getattr of a dunder
    // name (__globals__, __builtins__, __class__ ...) or a call of what getattr returned is how a pickle
    // made only of allowed globals reaches code, so such a file is refused, never reported clean.
    void checkPlaceholderCall(const PickleValue &callable, const PickleValue &args) const
    {
        const std::string where = " (REDUCE at byte " + std::to_string(mPosition - 1) + ")";
        if (callable.text == GetAttrResult)
            fail("calls an attribute fetched with getattr" + where +
                 ": torch.load would run code from this file; it was not loaded");
        if (callable.text != GetAttr)
            return;
        if (args.kind != Kind::Tuple || args.items.size() != 2 || args.items[1]->kind != Kind::String)
            fail("getattr with arguments other than (object, name)" + where + "; the file was not loaded");
        const std::string &name = args.items[1]->text;
        if (name.size() >= 4 && name.compare(0, 2, "__") == 0 && name.compare(name.size() - 2, 2, "__") == 0)
            fail("getattr of '" + name + "'" + where +
                 " reaches Python internals: torch.load would run code from this file; it was not loaded");
    }

    PickleRef call(const PickleRef &callable, const PickleRef &args)
    {
        if (callable->kind == Kind::Placeholder) {
            checkPlaceholderCall(*callable, *args);
            auto v = make(Kind::Placeholder); // an inert object "made by" the placeholder; never called
            v->text = callable->text == GetAttr ? std::string(GetAttrResult) : callable->text;
            return v;
        }
        if (callable->kind != Kind::Global)
            fail("REDUCE of something that is not an allowed global");
        if (args->kind != Kind::Tuple)
            fail("REDUCE arguments are not a tuple");
        const std::string &name = callable->text;
        const std::vector<PickleRef> &a = args->items;
        if (name == "collections.OrderedDict" || name == "builtins.dict" || name == "collections.defaultdict") {
            auto v = make(Kind::Dict);
            if (name == "builtins.dict" && !a.empty() && a[0]->kind == Kind::Dict)
                v->items = a[0]->items;
            return v;
        }
        if (name == "builtins.set" || name == "builtins.frozenset" || name == "builtins.list" || name == "builtins.tuple") {
            auto v = make(name == "builtins.tuple" ? Kind::Tuple : Kind::List);
            if (!a.empty() && (a[0]->kind == Kind::List || a[0]->kind == Kind::Tuple))
                v->items = a[0]->items;
            return v;
        }
        if (name == "torch.Size") {
            auto v = make(Kind::Tuple);
            if (!a.empty())
                v->items = a[0]->items;
            return v;
        }
        if (name == "_codecs.encode" || name == "builtins.bytearray") {
            auto v = make(Kind::Bytes);
            if (!a.empty() && (a[0]->kind == Kind::String || a[0]->kind == Kind::Bytes))
                v->text = latin1(a[0]->text);
            return v;
        }
        if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
            if (a.empty() || a[0]->kind != Kind::Tensor)
                fail("_rebuild_parameter without a tensor");
            return a[0];
        }
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
            if (a.size() < 4 || a[0]->kind != Kind::Storage || a[1]->kind != Kind::Int)
                fail("malformed _rebuild_tensor arguments");
            auto v = make(Kind::Tensor);
            v->tensor = a[0]->tensor;
            v->tensor.offset = a[1]->integer;
            v->tensor.shape = intTuple(*a[2], "tensor size", *this);
            v->tensor.stride = intTuple(*a[3], "tensor stride", *this);
            if (v->tensor.shape.size() != v->tensor.stride.size())
                fail("tensor size and stride differ in length");
            return v;
        }
        fail("no interpretation for allowed global '" + name + "'");
    }

    // Python 3 pickles bytes at protocol 2 as _codecs.encode(text, 'latin1'): undo the UTF-8.
    static std::string latin1(const std::string &utf8)
    {
        std::string out;
        for (size_t i = 0; i < utf8.size(); ++i) {
            const auto c = uint8_t(utf8[i]);
            if (c >= 0xC0 && i + 1 < utf8.size()) {
                out.push_back(char(((c & 0x1F) << 6) | (uint8_t(utf8[i + 1]) & 0x3F)));
                ++i;
            } else {
                out.push_back(char(c));
            }
        }
        return out;
    }

    PickleRef persistentLoad(const PickleRef &id)
    {
        // ("storage", storage_type, key, location, numel)
        if (id->kind != Kind::Tuple || id->items.size() < 5 || id->items[0]->kind != Kind::String ||
            id->items[0]->text != "storage")
            fail("unsupported persistent id (not a tensor storage)");
        const PickleRef &type = id->items[1];
        if (type->kind != Kind::Global || !storageDTypes().count(type->text))
            fail("storage of unsupported type");
        if (id->items[2]->kind != Kind::String || id->items[4]->kind != Kind::Int || id->items[4]->integer < 0)
            fail("malformed storage reference");
        auto v = make(Kind::Storage);
        v->tensor.storageType = type->text;
        v->tensor.storageKey = id->items[2]->text;
        v->tensor.storageNumel = id->items[4]->integer;
        return v;
    }

    const std::vector<uint8_t> &mData;
    const std::string &mLabel;
    size_t mPosition = 0;
    std::vector<PickleRef> mStack;
    std::vector<size_t> mMarks;
    std::map<uint32_t, PickleRef> mMemo;
    std::vector<PickleRef> mArena;
};

} // namespace

const PickleValue *PickleValue::dictGet(const std::string &key) const
{
    if (kind != Kind::Dict)
        return nullptr;
    for (size_t i = 0; i + 1 < items.size(); i += 2)
        if (items[i]->kind == Kind::String && items[i]->text == key)
            return items[i + 1].get();
    return nullptr;
}

std::vector<std::string> allowedPickleGlobals()
{
    std::vector<std::string> names(constructors().begin(), constructors().end());
    for (const auto &entry : storageDTypes())
        names.push_back(entry.first);
    names.insert(names.end(), placeholders().begin(), placeholders().end());
    return names;
}

PickleDocument::~PickleDocument()
{
    root.reset();
    dismantle(arena);
}

PickleDocument unpickle(const std::vector<uint8_t> &data, const std::string &label)
{
    Machine machine(data, label);
    PickleDocument document;
    document.root = machine.run();
    document.arena = machine.takeArena();
    return document;
}

} // namespace wse
