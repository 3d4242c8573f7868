#include "sane/saneimport.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/textfile.h"
#include "sane/sanemodel.h"

#include <nlohmann/json.hpp>

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

} // namespace wse
