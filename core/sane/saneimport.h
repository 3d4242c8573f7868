#pragma once
// Official SANE artefacts -> an encoder file of ours (sane-spec §10.3).
#include "sane/encoderfile.h"

#include <optional>
#include <string>

namespace wse {

struct SaneImportOptions
{
    std::string state;         // state.pt ({"model": ..., "optimizer": ..., "scheduler": ...}) or a bare state_dict
    std::string params;        // params.json of the run (ae:* keys, training::windowsize)
    std::string normalization; // optional dataset_normalization_train.json
    std::string reference;     // optional checkpoint of the zoo architecture (keys, shapes)
    bool includeBatchNorm = false; // the zoo was tokenised with BN (official ignore_bn = False)
};

// Reads, checks that the weights load into the configured network, and returns the encoder.
// Throws FormatError / IoError naming the file at fault.
SaneEncoder importOfficialSane(const SaneImportOptions &options);

// The files of the official run around a SANE checkpoint (state.pt in checkpoint_NNNNNN/, or a
// bare state_dict): the nearest params.json (or config_ae.json) in its folder or up to two
// folders above, when it has ae:* keys, and dataset_normalization_train.json the same way.
// nullopt otherwise (e.g. a network checkpoint: a zoo's params.json has no ae:* keys).
std::optional<SaneImportOptions> locateOfficialSane(const std::string &state);

// An encoder file of ours, or an official SANE checkpoint imported as it is read (its run's
// files found by locateOfficialSane). Throws FormatError naming the file and what was looked for.
SaneEncoder openEncoder(const std::string &path);

} // namespace wse
