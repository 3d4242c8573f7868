#include "checkpoint/safetensors.h"

#include "common/error.h"
#include "common/jsonread.h"
#include "common/text.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>

namespace wse {

namespace {

__extension__ using Wide = unsigned __int128; // byte arithmetic that cannot overflow

// How deep a header may nest: {"name": {"shape": [..]}} is three levels.
constexpr int MaxHeaderDepth = 4;

const std::map<std::string, DType> &dtypesByName()
{
    static const std::map<std::string, DType> names = {
        {"F64", DType::Float64}, {"F32", DType::Float32}, {"F16", DType::Float16}, {"BF16", DType::BFloat16},
        {"I64", DType::Int64},   {"I32", DType::Int32},   {"I16", DType::Int16},   {"I8", DType::Int8},
        {"U8", DType::UInt8},    {"BOOL", DType::Bool}};
    return names;
}

std::string safetensorsName(DType dtype)
{
    for (const auto &[name, type] : dtypesByName())
        if (type == dtype)
            return name;
    return "?";
}

uint64_t readLittleEndian64(const uint8_t *bytes)
{
    uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | bytes[i];
    return value;
}

// Nesting depth of the JSON text, counted before parsing: a hostile header of a million '['
// would otherwise be built in memory first.
int nestingDepth(const std::string &text)
{
    int depth = 0, deepest = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

struct Entry
{
    std::string name;
    TensorBuffer tensor;
    uint64_t begin = 0, end = 0;
};

Entry parseEntry(const std::string &name, const nlohmann::json &info, uint64_t dataBytes, const std::string &label)
{
    const std::string where = "tensor '" + name + "': ";
    if (!info.is_object())
        throw FormatError(label, where + "its header entry is not a JSON object");
    for (const char *field : {"dtype", "shape", "data_offsets"})
        if (!info.contains(field))
            throw FormatError(label, where + "no \"" + field + "\" in its header entry");
    Entry entry;
    entry.name = name;
    const nlohmann::json &dtype = info["dtype"];
    const auto known = dtype.is_string() ? dtypesByName().find(dtype.get<std::string>()) : dtypesByName().end();
    if (known == dtypesByName().end())
        throw FormatError(label, where + "unsupported dtype " + jsonread::shown(dtype) +
                                     " (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
    entry.tensor.dtype = known->second;
    const nlohmann::json &shape = info["shape"];
    if (!shape.is_array() || shape.size() > 16)
        throw FormatError(label, where + "its shape is not a list of at most 16 sizes");
    Wide elements = 1;
    for (const nlohmann::json &size : shape) {
        if (!size.is_number_unsigned())
            throw FormatError(label, where + "shape " + jsonread::shown(shape) + " has a size that is not a whole number >= 0");
        elements *= Wide(size.get<uint64_t>());
        if (elements > Wide(dataBytes))
            throw FormatError(label, where + "shape " + jsonread::shown(shape) + " holds more elements than the file has bytes");
        entry.tensor.shape.push_back(int64_t(size.get<uint64_t>()));
    }
    const nlohmann::json &offsets = info["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
        throw FormatError(label, where + "data_offsets " + jsonread::shown(offsets) + " is not [begin, end]");
    entry.begin = offsets[0].get<uint64_t>();
    entry.end = offsets[1].get<uint64_t>();
    if (entry.begin > entry.end || entry.end > dataBytes)
        throw FormatError(label, where + "data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                                     "] lie outside the " + std::to_string(dataBytes) + " bytes of data");
    if (elements * Wide(dtypeSize(entry.tensor.dtype)) != Wide(entry.end - entry.begin))
        throw FormatError(label, where + "shape " + jsonread::shown(shape) + " of " + safetensorsName(entry.tensor.dtype) +
                                     " needs " + std::to_string(uint64_t(elements) * uint64_t(dtypeSize(entry.tensor.dtype))) +
                                     " bytes, but its data_offsets span " + std::to_string(entry.end - entry.begin));
    return entry;
}

// Every byte of the data belongs to exactly one tensor (empty tensors aside).
void requireTiledData(std::vector<Entry> &entries, uint64_t dataBytes, const std::string &label)
{
    std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t covered = 0;
    for (const Entry &entry : entries) {
        if (entry.begin == entry.end)
            continue;
        if (entry.begin < covered)
            throw FormatError(label, "tensor '" + entry.name + "' overlaps the tensor before it (bytes " +
                                         std::to_string(entry.begin) + " to " + std::to_string(covered) + ")");
        if (entry.begin > covered)
            throw FormatError(label, "bytes " + std::to_string(covered) + " to " + std::to_string(entry.begin) +
                                         " of the data belong to no tensor (a safetensors file has no holes)");
        covered = entry.end;
    }
    if (covered != dataBytes)
        throw FormatError(label, "the last " + std::to_string(dataBytes - covered) + " bytes of the data belong to no tensor");
}

// "layers.10.weight" after "layers.9.weight": runs of digits compare as numbers.
bool naturalLess(const std::string &a, const std::string &b)
{
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit((unsigned char)a[i]) && std::isdigit((unsigned char)b[j])) {
            size_t iEnd = i, jEnd = j;
            while (iEnd < a.size() && std::isdigit((unsigned char)a[iEnd]))
                ++iEnd;
            while (jEnd < b.size() && std::isdigit((unsigned char)b[jEnd]))
                ++jEnd;
            const std::string x = a.substr(i, iEnd - i), y = b.substr(j, jEnd - j);
            const size_t xs = x.find_first_not_of('0'), ys = y.find_first_not_of('0');
            const std::string xt = xs == std::string::npos ? "" : x.substr(xs), yt = ys == std::string::npos ? "" : y.substr(ys);
            if (xt.size() != yt.size())
                return xt.size() < yt.size();
            if (xt != yt)
                return xt < yt;
            i = iEnd;
            j = jEnd;
        } else {
            if (a[i] != b[j])
                return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

} // namespace

bool isSafetensorsPath(const std::string &path)
{
    const std::string extension = ".safetensors";
    return path.size() > extension.size() && endsWith(path, extension);
}

bool looksLikeSafetensors(const uint8_t *head, size_t size)
{
    if (size < 9)
        return false;
    // Any length below 2^40 counts, so that an oversized header is refused as one (not as a bad zip).
    const uint64_t headerBytes = readLittleEndian64(head);
    return headerBytes >= 2 && (headerBytes >> 40) == 0 && head[8] == '{';
}

StateDict readSafetensorsBytes(const std::vector<uint8_t> &bytes, const std::string &label)
{
    if (bytes.size() < 8)
        throw FormatError(label, "too short for a safetensors file (" + std::to_string(bytes.size()) + " bytes)");
    const uint64_t headerBytes = readLittleEndian64(bytes.data());
    if (headerBytes > SafetensorsMaxHeaderBytes)
        throw FormatError(label, "safetensors header of " + std::to_string(headerBytes) + " bytes: more than the " +
                                     std::to_string(SafetensorsMaxHeaderBytes) + " allowed");
    if (headerBytes > bytes.size() - 8)
        throw FormatError(label, "truncated: the safetensors header claims " + std::to_string(headerBytes) +
                                     " bytes, the file has " + std::to_string(bytes.size() - 8) + " after its length");
    const std::string header(reinterpret_cast<const char *>(bytes.data()) + 8, size_t(headerBytes));
    if (nestingDepth(header) > MaxHeaderDepth)
        throw FormatError(label, "the safetensors header nests deeper than a header can");
    const nlohmann::json root = jsonread::parseObject(header, label + " (safetensors header)", "safetensors header");
    const uint64_t dataBytes = bytes.size() - 8 - headerBytes;

    StateDict result;
    std::vector<Entry> entries;
    for (const auto &[name, info] : root.items()) {
        if (name == "__metadata__") {
            if (!info.is_object())
                throw FormatError(label, "__metadata__ is not a JSON object of texts");
            for (const auto &[key, text] : info.items()) {
                if (!text.is_string())
                    throw FormatError(label, "__metadata__ entry '" + key + "' is not a text");
                result.texts.emplace_back(key, text.get<std::string>());
            }
            continue;
        }
        entries.push_back(parseEntry(name, info, dataBytes, label));
    }
    if (entries.empty())
        throw FormatError(label, "the safetensors file holds no tensors");
    requireTiledData(entries, dataBytes, label); // sorts by data offset
    const bool sortedByName = std::is_sorted(entries.begin(), entries.end(),
                                             [](const Entry &a, const Entry &b) { return a.name < b.name; });
    if (sortedByName && entries.size() > 1) {
        std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return naturalLess(a.name, b.name); });
        result.notes.push_back("the file stores its tensors sorted by name; listed with numbered layers in number order");
    }
    const uint8_t *data = bytes.data() + 8 + headerBytes;
    for (Entry &entry : entries) {
        entry.tensor.bytes.assign(data + entry.begin, data + entry.end);
        result.entries.emplace_back(entry.name, std::move(entry.tensor));
    }
    return result;
}

std::vector<uint8_t> serializeSafetensors(const StateDict &stateDict)
{
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!stateDict.texts.empty()) {
        nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
        for (const auto &[key, text] : stateDict.texts)
            metadata[key] = text;
        header["__metadata__"] = metadata;
    }
    uint64_t offset = 0;
    for (const auto &[name, tensor] : stateDict.entries) {
        const uint64_t end = offset + tensor.bytes.size();
        header[name] = {{"dtype", safetensorsName(tensor.dtype)}, {"shape", tensor.shape}, {"data_offsets", {offset, end}}};
        offset = end;
    }
    std::string text = header.dump();
    text.append((8 - (text.size() % 8)) % 8, ' ');
    std::vector<uint8_t> bytes(8 + text.size() + offset);
    for (int i = 0; i < 8; ++i)
        bytes[size_t(i)] = uint8_t(uint64_t(text.size()) >> (8 * i));
    std::memcpy(bytes.data() + 8, text.data(), text.size());
    uint8_t *data = bytes.data() + 8 + text.size();
    for (const auto &[name, tensor] : stateDict.entries) {
        if (!tensor.bytes.empty())
            std::memcpy(data, tensor.bytes.data(), tensor.bytes.size());
        data += tensor.bytes.size();
    }
    return bytes;
}

} // namespace wse
