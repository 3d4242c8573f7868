#pragma once
// Official SANE artefacts -> an encoder file of ours (sane-spec §10.3).
#include "sane/encoderfile.h"

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

} // namespace wse
