#include "checkpoint/checkpointfile.h"
#include "checkpoint/pickle.h"
#include "checkpoint/safetensors.h"
#include "checkpoint/ziparchive.h"

#include "common/error.h"
#include "common/filekind.h"
#include "common/numbertext.h"
#include "common/parallel.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>

namespace wse {

namespace {

using Kind = PickleValue::Kind;
__extension__ using Wide = __int128; // index arithmetic that cannot overflow

std::vector<uint8_t> readFileBytes(const std::string &path)
{
    requireRegularFile(path);
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw IoError(path, "cannot open (no such file or no permission)");
    const std::streamsize size = in.tellg();
    std::vector<uint8_t> bytes(size > 0 ? size_t(size) : 0);
    in.seekg(0);
    if (size > 0 && !in.read(reinterpret_cast<char *>(bytes.data()), size))
        throw IoError(path, "read error");
    return bytes;
}

DType dtypeOfStorage(const std::string &storageType, const std::string &label)
{
    static const std::map<std::string, DType> types = {
        {"torch.FloatStorage", DType::Float32}, {"torch.DoubleStorage", DType::Float64},
        {"torch.HalfStorage", DType::Float16}, {"torch.BFloat16Storage", DType::BFloat16},
        {"torch.LongStorage", DType::Int64}, {"torch.IntStorage", DType::Int32}, {"torch.ShortStorage", DType::Int16},
        {"torch.CharStorage", DType::Int8}, {"torch.ByteStorage", DType::UInt8}, {"torch.BoolStorage", DType::Bool}};
    const auto it = types.find(storageType);
    if (it == types.end())
        throw FormatError(label, "unsupported storage type " + storageType);
    return it->second;
}

bool isTensorDict(const PickleValue &value)
{
    if (value.kind != Kind::Dict || value.items.empty())
        return false;
    for (size_t i = 0; i + 1 < value.items.size(); i += 2)
        if (value.items[i]->kind != Kind::String || value.items[i + 1]->kind != Kind::Tensor)
            return false;
    return true;
}

// The storages the state_dict's tensors use, each read once (tensors may share one). Large
// archives are read on every core (copying and checking the CRC of hundreds of MB); a failure is
// reported for the first storage in the dict's order, as a one-thread read would.
std::map<std::string, std::vector<uint8_t>> readStorages(const ZipArchive &archive, const PickleValue &dict,
                                                         const std::string &prefix, const std::string &label)
{
    std::vector<std::string> keys;
    std::map<std::string, std::vector<uint8_t>> storages;
    for (size_t i = 0; i + 1 < dict.items.size(); i += 2) {
        const std::string &storageKey = dict.items[i + 1]->tensor.storageKey;
        if (storages.count(storageKey))
            continue;
        const std::string entry = prefix + "data/" + storageKey;
        if (!archive.contains(entry))
            throw FormatError(label, "tensor '" + dict.items[i]->text + "' refers to missing storage '" + entry + "'");
        storages[storageKey];
        keys.push_back(storageKey);
    }
    std::vector<std::exception_ptr> failures(keys.size());
    constexpr uint64_t LargeArchive = 64 << 20;
    const int64_t threads = archive.byteSize() >= LargeArchive ? workerThreads() : 1;
    auto read = [&](int64_t firstThread, int64_t endThread) { // thread t reads storages t, t + threads, ...
        for (int64_t t = firstThread; t < endThread; ++t)
            for (size_t k = size_t(t); k < keys.size(); k += size_t(threads)) {
                try {
                    storages.at(keys[k]) = archive.read(prefix + "data/" + keys[k]);
                } catch (...) {
                    failures[k] = std::current_exception();
                }
            }
    };
    parallelFor(threads, read, 1);
    for (const std::exception_ptr &failure : failures)
        if (failure)
            std::rethrow_exception(failure);
    return storages;
}

// Whether the tensor's elements lie in its storage in row-major order, one after the other.
bool isRowMajor(const TensorReference &ref)
{
    int64_t expected = 1;
    for (size_t d = ref.shape.size(); d-- > 0;) {
        if (ref.shape[d] != 1 && ref.stride[d] != expected)
            return false;
        expected *= ref.shape[d];
    }
    return true;
}

// Copies a (possibly strided, offset, shared) tensor out of its storage into contiguous bytes.
// `budget`: bytes the tensors may still take. Views that repeat their storage (stride 0) can make a
// file of a few hundred bytes declare gigabytes; real checkpoints take about their file's size.
TensorBuffer materialise(const TensorReference &ref, const std::vector<uint8_t> &storage, const std::string &key,
                         const std::string &label, double &budget)
{
    TensorBuffer tensor;
    tensor.dtype = dtypeOfStorage(ref.storageType, label);
    tensor.shape = ref.shape;
    const int64_t element = dtypeSize(tensor.dtype);
    const int64_t available = int64_t(storage.size()) / element;
    Wide count = 1;              // elements, in 128 bits: a hostile shape cannot overflow it to 0
    Wide lastIndex = ref.offset; // largest storage index touched (128 bits: no overflow)
    for (size_t d = 0; d < ref.shape.size(); ++d) {
        if (ref.shape[d] > (int64_t(1) << 40) || ref.stride[d] > (int64_t(1) << 40))
            throw FormatError(label, "tensor '" + key + "' has an implausible size or stride");
        count *= ref.shape[d];
        if (count > (Wide(1) << 40))
            throw FormatError(label, "tensor '" + key + "' " + tensor.shapeText() + " has more than 2^40 elements");
        if (ref.shape[d] > 0)
            lastIndex += Wide(ref.shape[d] - 1) * ref.stride[d];
    }
    const int64_t numel = int64_t(count);
    if (numel > 0 && ref.offset < 0)
        throw FormatError(label, "tensor '" + key + "' starts at a negative storage offset (" + std::to_string(ref.offset) + ")");
    if (numel > 0 && lastIndex >= available)
        throw FormatError(label, "tensor '" + key + "' " + tensor.shapeText() + " needs storage elements up to " +
                                     std::to_string(int64_t(std::min<Wide>(lastIndex, INT64_MAX))) + " but storage '" + ref.storageKey + "' holds " +
                                     std::to_string(available) + " (truncated or corrupt file)");
    if (double(numel) * double(element) > budget)
        throw FormatError(label, "tensor '" + key + "' " + tensor.shapeText() + " would take " +
                                     byteSize(double(numel) * double(element)) +
                                     " in memory, more than 64 times the file's size allows (a view repeating "
                                     "a small storage?)");
    budget -= double(numel) * double(element);
    tensor.bytes.resize(size_t(numel * element));
    if (numel == 0)
        return tensor;
    if (isRowMajor(ref)) { // what torch.save writes for a state_dict: one block
        std::memcpy(tensor.bytes.data(), &storage[size_t(ref.offset * element)], tensor.bytes.size());
        return tensor;
    }
    // Walk the elements in row-major order, tracking the storage index of each.
    const size_t dims = ref.shape.size();
    std::vector<int64_t> index(dims, 0);
    int64_t source = ref.offset;
    for (int64_t i = 0; i < numel; ++i) {
        std::memcpy(&tensor.bytes[size_t(i * element)], &storage[size_t(source * element)], size_t(element));
        for (size_t d = dims; d-- > 0;) {
            if (++index[d] < ref.shape[d]) {
                source += ref.stride[d];
                break;
            }
            source -= (ref.shape[d] - 1) * ref.stride[d];
            index[d] = 0;
        }
    }
    return tensor;
}

void checkNotLegacy(const std::vector<uint8_t> &bytes, const std::string &label)
{
    const bool zip = bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
    if (zip)
        return;
    const bool pickle = bytes.size() >= 2 && bytes[0] == 0x80 && bytes[1] <= 5;
    const bool tar = bytes.size() > 262 && std::memcmp(&bytes[257], "ustar", 5) == 0;
    if (pickle || tar)
        throw FormatError(label, "unsupported legacy PyTorch format (saved before torch 1.6 or with "
                                 "_use_new_zipfile_serialization=False); re-save it with torch>=1.6: "
                                 "torch.save(torch.load(f), f)");
    if (bytes.empty())
        throw FormatError(label, "empty file");
    throw FormatError(label, "not a PyTorch checkpoint (expected a zip archive as written by torch.save)");
}

} // namespace

StateDict readCheckpointBytes(std::vector<uint8_t> bytes, const std::string &label)
{
    if (looksLikeSafetensors(bytes.data(), bytes.size()))
        return readSafetensorsBytes(bytes, label);
    checkNotLegacy(bytes, label);
    double budget = 64.0 * double(bytes.size()) + double(256 << 20);
    const ZipArchive archive(std::move(bytes), label);
    std::string prefix;
    bool found = false;
    for (const std::string &name : archive.names()) {
        const std::string suffix = "data.pkl";
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            (name.size() == suffix.size() || name[name.size() - suffix.size() - 1] == '/')) {
            prefix = name.substr(0, name.size() - suffix.size());
            found = true;
            break;
        }
    }
    if (!found)
        throw FormatError(label, "zip archive has no data.pkl: not a torch.save checkpoint (a TorchScript file? "
                                 "those are not state_dicts)");

    const PickleDocument document = unpickle(archive.read(prefix + "data.pkl"), label);
    StateDict result;
    const PickleValue *dict = document.root.get();
    if (!isTensorDict(*dict)) {
        dict = nullptr;
        for (const char *entry : {"model", "state_dict", "model_state_dict", "module"}) {
            const PickleValue *candidate = document.root->dictGet(entry);
            if (candidate && isTensorDict(*candidate)) {
                dict = candidate;
                std::string skipped;
                for (size_t i = 0; i + 1 < document.root->items.size(); i += 2) {
                    const PickleValue &name = *document.root->items[i], &value = *document.root->items[i + 1];
                    if (name.kind != Kind::String || name.text == entry)
                        continue;
                    if (value.kind == Kind::String)
                        result.texts.emplace_back(name.text, value.text);
                    else
                        skipped += (skipped.empty() ? "" : ", ") + name.text;
                }
                result.notes.push_back(std::string("read the state_dict under '") + entry + "'" +
                                       (skipped.empty() ? "" : "; skipped " + skipped));
                break;
            }
        }
        if (!dict)
            throw FormatError(label, document.root->isDict() && document.root->items.empty()
                                         ? "the checkpoint holds an empty dict: no tensors"
                                         : "no state_dict found (expected a dict of tensors, or one under 'model')");
    }

    std::map<std::string, std::vector<uint8_t>> storages = readStorages(archive, *dict, prefix, label);
    for (size_t i = 0; i + 1 < dict->items.size(); i += 2) {
        const std::string &key = dict->items[i]->text;
        const TensorReference &ref = dict->items[i + 1]->tensor;
        result.entries.emplace_back(key, materialise(ref, storages.at(ref.storageKey), key, label, budget));
    }
    return result;
}

StateDict readCheckpoint(const std::string &path)
{
    return readCheckpointBytes(readFileBytes(path), path);
}

} // namespace wse
