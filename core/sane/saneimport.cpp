#include "sane/saneimport.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/textfile.h"
#include "sane/sanemodel.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace wse {

SaneEncoder importOfficialSane(const SaneImportOptions &options)
{
    SaneEncoder encoder;
    encoder.config = SaneConfig::fromOfficialParams(readTextFile(options.params), options.params);
    encoder.config.includeBatchNorm = options.includeBatchNorm;
    const nlohmann::json params = nlohmann::json::parse(readTextFile(options.params));
    if (!params.contains("ae:max_positions"))
        throw FormatError(options.params, "params.json has no ae:max_positions: the position tables' sizes are unknown");
    encoder.weights = readCheckpoint(options.state);
    encoder.weights.notes.clear();
    encoder.weights.texts.clear();
    // The official training checkpoint prefixes keys (torch.compile, DDP); ours are plain.
    for (auto &[key, tensor] : encoder.weights.entries)
        for (const std::string prefix : {"_orig_mod.", "module."})
            while (key.rfind(prefix, 0) == 0)
                key = key.substr(prefix.size());
    // The projection head's first layer fixes the window the model was trained with.
    if (const TensorBuffer *head = encoder.weights.find("projection_head.head.0.weight"); head && head->shape.size() == 2)
        if (head->shape[1] != encoder.config.windowSize * encoder.config.latent)
            throw FormatError(options.state, "projection head takes " + std::to_string(head->shape[1]) +
                                                 " inputs but params.json says window " +
                                                 std::to_string(encoder.config.windowSize) + " x latent " +
                                                 std::to_string(encoder.config.latent));
    try {
        SaneModel check(encoder, "cpu"); // strict load: every tensor present with its shape
    } catch (const FormatError &error) {
        throw FormatError(options.state, std::string(error.what()) + " (with the configuration of " + options.params + ")");
    }
    if (!options.normalization.empty())
        encoder.normalization = LayerStandardization::fromOfficialJson(readTextFile(options.normalization), options.normalization);
    if (!options.reference.empty()) {
        encoder.architecture = architectureOf(readCheckpoint(options.reference), "reference");
        encoder.normalization.checkFits(encoder.architecture, options.normalization);
    }
    nlohmann::json provenance;
    provenance["imported_from"] = options.state;
    provenance["params"] = options.params;
    if (!options.normalization.empty())
        provenance["normalization"] = options.normalization;
    if (!options.reference.empty())
        provenance["reference"] = options.reference;
    encoder.provenance = provenance.dump();
    return encoder;
}

namespace {

bool hasSaneKeys(const std::filesystem::path &params)
{
    try {
        const nlohmann::json json = nlohmann::json::parse(readTextFile(params.string()));
        return json.is_object() && json.contains("ae:max_positions");
    } catch (const std::exception &) {
        return false; // unreadable or not JSON: not a SANE run's configuration
    }
}

} // namespace

std::optional<SaneImportOptions> locateOfficialSane(const std::string &state)
{
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::is_regular_file(state, error))
        return std::nullopt;
    SaneImportOptions options;
    options.state = state;
    fs::path folder = fs::absolute(state, error).parent_path();
    bool searching = true; // the nearest run configuration decides: a zoo's ends the search
    for (int up = 0; up < 3 && !folder.empty(); ++up, folder = folder.parent_path()) {
        for (const char *name : {"params.json", "config_ae.json"})
            if (searching && fs::is_regular_file(folder / name, error)) {
                searching = false;
                if (hasSaneKeys(folder / name))
                    options.params = (folder / name).string();
            }
        if (options.normalization.empty() && fs::is_regular_file(folder / "dataset_normalization_train.json", error))
            options.normalization = (folder / "dataset_normalization_train.json").string();
        if (folder == folder.parent_path())
            break;
    }
    if (options.params.empty())
        return std::nullopt;
    return options;
}

SaneEncoder openEncoder(const std::string &path)
{
    try {
        return SaneEncoder::read(path);
    } catch (const FormatError &notOurs) {
        const std::optional<SaneImportOptions> official = locateOfficialSane(path);
        if (!official)
            throw FormatError(path, std::string(notOurs.what()) +
                                        "; an official SANE checkpoint is read when its run's params.json (with ae:* keys) "
                                        "is in its folder or up to two folders above");
        return importOfficialSane(*official);
    }
}

} // namespace wse
