#include "sane/encoderfile.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/jsonread.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace wse {

namespace {

constexpr const char *FormatKey = "wse_format";
constexpr const char *FormatValue = "weight-space-explorer sane encoder 1";

std::string architectureJson(const Architecture &architecture)
{
    nlohmann::ordered_json j;
    j["name"] = architecture.name;
    j["description"] = architecture.description;
    j["tensors"] = nlohmann::json::array();
    for (const TensorSpec &tensor : architecture.tensors)
        j["tensors"].push_back({{"key", tensor.key}, {"shape", tensor.shape}});
    return j.dump();
}

Architecture architectureFromJson(const std::string &text, const std::string &label)
{
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        Architecture architecture;
        architecture.name = j.at("name").get<std::string>();
        architecture.description = j.value("description", "");
        for (const auto &tensor : j.at("tensors"))
            architecture.tensors.push_back({tensor.at("key").get<std::string>(), tensor.at("shape").get<std::vector<int64_t>>()});
        return architecture;
    } catch (const nlohmann::json::exception &error) {
        throw FormatError(label, std::string("encoder architecture entry: ") + error.what());
    }
}

} // namespace

std::string SaneEncoder::id() const
{
    uint64_t hash = 1469598103934665603ull; // FNV-1a 64
    auto add = [&](const uint8_t *data, size_t size) {
        for (size_t i = 0; i < size; ++i)
            hash = (hash ^ data[i]) * 1099511628211ull;
    };
    const std::string text = config.toJson() + normalization.toOfficialJson() + architectureJson(architecture);
    add(reinterpret_cast<const uint8_t *>(text.data()), text.size());
    for (const auto &[key, tensor] : weights.entries) {
        add(reinterpret_cast<const uint8_t *>(key.data()), key.size());
        add(tensor.bytes.data(), tensor.bytes.size());
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

void SaneEncoder::write(const std::string &path) const
{
    StateDict file = weights;
    file.notes.clear();
    file.texts = {{FormatKey, FormatValue},
                  {"config", config.toJson()},
                  {"normalization", normalization.toOfficialJson()},
                  {"architecture", architectureJson(architecture)},
                  {"provenance", provenance}};
    if (!reference.empty())
        file.texts.emplace_back("reference_checkpoint", nlohmann::json(reference).dump());
    writeCheckpoint(path, file);
}

SaneEncoder SaneEncoder::read(const std::string &path)
{
    StateDict file = readCheckpoint(path);
    const std::string *format = file.findText(FormatKey);
    if (!format)
        throw FormatError(path, "not a SANE encoder of Weight Space Explorer (a bare or official SANE checkpoint? "
                                "convert it with: wse sane import STATE.pt --params PARAMS.json -o ENCODER.pt)");
    if (*format != FormatValue)
        throw FormatError(path, "encoder format '" + *format + "' is newer than this program understands ('" +
                                    FormatValue + "'); update Weight Space Explorer");
    auto text = [&](const char *name) {
        const std::string *value = file.findText(name);
        if (!value)
            throw FormatError(path, std::string("encoder file lacks its '") + name + "' entry");
        return *value;
    };
    SaneEncoder encoder;
    encoder.config = SaneConfig::fromJson(text("config"), path);
    encoder.normalization = LayerStandardization::fromOfficialJson(text("normalization"), path);
    encoder.architecture = architectureFromJson(text("architecture"), path);
    encoder.provenance = text("provenance");
    if (const std::string *reference = file.findText("reference_checkpoint")) {
        try {
            encoder.reference = nlohmann::json::parse(*reference).get<std::vector<float>>();
        } catch (const nlohmann::json::exception &error) {
            throw FormatError(path, std::string("reference_checkpoint: ") + jsonread::describe(error));
        }
        if (int64_t(encoder.reference.size()) != encoder.architecture.numel())
            throw FormatError(path, "reference_checkpoint has " + std::to_string(encoder.reference.size()) +
                                        " values for an architecture of " + std::to_string(encoder.architecture.numel()));
    }
    file.texts.clear();
    file.notes.clear();
    encoder.weights = std::move(file);
    return encoder;
}

Architecture architectureOf(const StateDict &stateDict, const std::string &name)
{
    Architecture architecture;
    architecture.name = name;
    for (const auto &[key, tensor] : stateDict.entries)
        architecture.tensors.push_back({key, tensor.shape});
    return architecture;
}

} // namespace wse
