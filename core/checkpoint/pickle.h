#pragma once
// A restricted unpickler for PyTorch checkpoints. It builds inert values and never runs code:
// the few constructors a state_dict needs (OrderedDict, dict, tensor rebuilds, storages) are
// interpreted here; classes that training checkpoints carry in their optimizer and scheduler
// state become placeholders that are never called; any other global is refused by name.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wse {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct TensorReference
{
    std::string storageKey;   // archive entry "<prefix>/data/<key>"
    std::string storageType;  // e.g. "torch.FloatStorage"
    int64_t storageNumel = 0;
    int64_t offset = 0;
    std::vector<int64_t> shape;
    std::vector<int64_t> stride;
};

struct PickleValue
{
    enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Placeholder, Storage, Tensor };
    Kind kind = Kind::None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0.0;
    std::string text;              // String, Bytes, Global / Placeholder name ("module.name")
    std::vector<PickleRef> items;  // Tuple, List; Dict as key, value, key, value, ...
    TensorReference tensor;        // Storage (key, type, numel) and Tensor

    bool isDict() const { return kind == Kind::Dict; }
    const PickleValue *dictGet(const std::string &key) const; // string keys only
};

// The result of unpickling. Values may nest deeply or form cycles (memo + APPEND), so they are
// owned by a flat arena and dismantled without recursion when the document goes away.
class PickleDocument
{
public:
    PickleDocument() = default;
    PickleDocument(PickleDocument &&) = default;
    PickleDocument &operator=(PickleDocument &&) = default;
    ~PickleDocument();

    PickleRef root;
    std::vector<PickleRef> arena;
};

// Names of the globals the unpickler accepts (for documentation and tests).
std::vector<std::string> allowedPickleGlobals();

// Runs the restricted pickle machine. `label` names the file in messages. Throws FormatError
// (malformed data) or FormatError naming a refused global.
PickleDocument unpickle(const std::vector<uint8_t> &data, const std::string &label);

} // namespace wse
