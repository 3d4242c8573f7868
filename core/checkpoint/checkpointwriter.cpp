#include "checkpoint/checkpointfile.h"
#include "checkpoint/safetensors.h"
#include "checkpoint/zipwriter.h"

#include "common/atomicfile.h"
#include "common/error.h"


namespace wse {

namespace {

// A protocol-2 pickle of OrderedDict(key -> torch._utils._rebuild_tensor_v2(storage, 0, size,
// stride, False, OrderedDict())), the layout torch.save(model.state_dict()) produces.
class PickleWriter
{
public:
    std::vector<uint8_t> bytes;

    void op(uint8_t code) { bytes.push_back(code); }
    void global(const char *module, const char *name)
    {
        op('c');
        append(std::string(module) + "\n" + name + "\n");
    }
    void string(const std::string &text)
    {
        op('X');
        put32(uint32_t(text.size()));
        append(text);
    }
    void integer(int64_t value)
    {
        if (value >= 0 && value < 256) {
            op('K');
            op(uint8_t(value));
        } else if (value >= 0 && value < 65536) {
            op('M');
            op(uint8_t(value));
            op(uint8_t(value >> 8));
        } else if (value >= INT32_MIN && value <= INT32_MAX) {
            op('J');
            put32(uint32_t(int32_t(value)));
        } else {
            op(0x8a); // LONG1, 8 bytes little-endian two's complement
            op(8);
            for (int i = 0; i < 8; ++i)
                op(uint8_t(uint64_t(value) >> (8 * i)));
        }
    }
    void intTuple(const std::vector<int64_t> &values)
    {
        if (values.empty()) {
            op(')');
            return;
        }
        op('(');
        for (int64_t v : values)
            integer(v);
        op('t');
    }

private:
    void append(const std::string &text) { bytes.insert(bytes.end(), text.begin(), text.end()); }
    void put32(uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
            op(uint8_t(v >> (8 * i)));
    }
};

const char *storageClass(DType dtype)
{
    switch (dtype) {
    case DType::Float32: return "FloatStorage";
    case DType::Float64: return "DoubleStorage";
    case DType::Float16: return "HalfStorage";
    case DType::BFloat16: return "BFloat16Storage";
    case DType::Int64: return "LongStorage";
    case DType::Int32: return "IntStorage";
    case DType::Int16: return "ShortStorage";
    case DType::Int8: return "CharStorage";
    case DType::UInt8: return "ByteStorage";
    case DType::Bool: return "BoolStorage";
    }
    return "FloatStorage";
}

std::vector<int64_t> contiguousStrides(const std::vector<int64_t> &shape)
{
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t d = shape.size(); d-- > 1;)
        strides[d - 1] = strides[d] * std::max<int64_t>(shape[d], 1);
    return strides;
}

} // namespace

std::vector<uint8_t> serializeCheckpoint(const StateDict &stateDict)
{
    PickleWriter pickle;
    pickle.op(0x80);
    pickle.op(2);
    const bool withTexts = !stateDict.texts.empty();
    if (withTexts) { // {"model": OrderedDict(...), text entries...}
        pickle.op('}');
        pickle.op('(');
        pickle.string("model");
    }
    pickle.global("collections", "OrderedDict");
    pickle.op(')');
    pickle.op('R');
    if (!stateDict.entries.empty()) {
        pickle.op('(');
        for (size_t i = 0; i < stateDict.entries.size(); ++i) {
            const auto &[key, tensor] = stateDict.entries[i];
            if (int64_t(tensor.bytes.size()) != tensor.numel() * dtypeSize(tensor.dtype))
                throw UsageError("tensor '" + key + "' has " + std::to_string(tensor.bytes.size()) +
                                 " bytes for shape " + tensor.shapeText());
            pickle.string(key);
            pickle.global("torch._utils", "_rebuild_tensor_v2");
            pickle.op('(');
            pickle.op('(');                         // persistent id tuple
            pickle.string("storage");
            pickle.global("torch", storageClass(tensor.dtype));
            pickle.string(std::to_string(i));
            pickle.string("cpu");
            pickle.integer(tensor.numel());
            pickle.op('t');
            pickle.op('Q');                         // BINPERSID
            pickle.integer(0);                      // storage offset
            pickle.intTuple(tensor.shape);
            pickle.intTuple(contiguousStrides(tensor.shape));
            pickle.op(0x89);                        // requires_grad False
            pickle.global("collections", "OrderedDict");
            pickle.op(')');
            pickle.op('R');                         // backward hooks
            pickle.op('t');
            pickle.op('R');
        }
        pickle.op('u');                             // SETITEMS
    }
    if (withTexts) {
        for (const auto &[name, text] : stateDict.texts) {
            pickle.string(name);
            pickle.string(text);
        }
        pickle.op('u');
    }
    pickle.op('.');

    ZipWriter zip;
    zip.add("archive/data.pkl", pickle.bytes);
    zip.add("archive/byteorder", {'l', 'i', 't', 't', 'l', 'e'});
    for (size_t i = 0; i < stateDict.entries.size(); ++i)
        zip.add("archive/data/" + std::to_string(i), stateDict.entries[i].second.bytes);
    zip.add("archive/version", {'3', '\n'});
    return zip.finish();
}

void writeCheckpoint(const std::string &path, const StateDict &stateDict)
{
    const std::vector<uint8_t> bytes = isSafetensorsPath(path) ? serializeSafetensors(stateDict) : serializeCheckpoint(stateDict);
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

} // namespace wse
