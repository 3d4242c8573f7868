#pragma once
// A zoo prepared for SANE training: models split into train/val/test, the per-layer
// standardisation of the training split, and the standardised token sequences of every
// finite checkpoint of the train and validation splits.
#include "sane/normalization.h"
#include "sane/saneconfig.h"
#include "sane/tokenlayout.h"
#include "zoo/architecture.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wse {

class ProgressReporter;

// Model ids -> "train" / "val" / "test": shuffled with `seed`, cut at int(f0 n), int(f0 n) + int(f1 n)
// as the official code does (every split keeps at least one model when there are three or more).
std::map<std::string, std::string> splitModels(std::vector<std::string> modelIds, int64_t seed,
                                               const std::array<double, 3> &fractions);

struct SaneZooData
{
    Architecture architecture;
    LayerStandardization normalization;
    std::unique_ptr<TokenLayout> layout;
    std::map<std::string, std::string> split; // model id -> train/val/test
    std::vector<float> trainTokens, valTokens; // [count, N, d_t]
    std::vector<float> trainWeights;           // [trainCount, row] raw, for permuted views
    std::vector<float> reference;              // config.align: the checkpoint every model was aligned to
    int64_t trainCount = 0, valCount = 0;
    int64_t skippedNonFinite = 0;
};

// Reads the zoo's largest architecture (by checkpoints). Fills config.tokenSize when it is 0 (the
// official automatic size) and config.maxPositions when 0 (from the sequence). Throws UsageError
// when there are fewer than 3 models or the window is longer than the sequence.
SaneZooData loadSaneZooData(const std::string &zooPath, SaneConfig &config, ProgressReporter *progress);

} // namespace wse
