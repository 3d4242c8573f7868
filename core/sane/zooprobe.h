#pragma once
// Probing a zoo's SANE embeddings (sane-spec §6.2) next to two data-free baselines computed on the
// same checkpoints and the same split by model: the layer quintiles of the SANE paper and
// WeightWatcher's spectral metrics of every evaluable layer (analysis/spectral.h).
#include "analysis/probe.h"

#include <string>
#include <vector>

namespace wse {

class ProgressReporter;

struct ZooProbeOptions
{
    std::string zooPath;
    std::string embeddingsPath;
    std::string encoderPath; // for the baseline's tokens; empty: the one named in the embeddings file
    std::vector<std::string> targets = {"test_acc", "epoch", "ggap"};
    std::vector<std::string> categorical = {"init", "activation", "optimizer", "dataset"};
    int64_t seed = 42; // split by model when the embeddings carry no split of the encoder's training

    static ZooProbeOptions defaults() { return {}; }
};

struct ZooProbeReport
{
    std::vector<ProbeResult> sane, baseline, spectral; // same order: targets, then categorical targets
    std::vector<bool> categorical;           // per result
    std::string splitSource;                 // "encoder training split" or "random by model (seed S)"
    int64_t rows = 0;
    int64_t embeddingDims = 0, baselineDims = 0, spectralDims = 0;

    std::string toJson() const;
    std::string toText() const; // an aligned table
};

// Targets or categorical columns the zoo lacks (or with a single class) are left out.
ZooProbeReport probeZoo(const ZooProbeOptions &options);

} // namespace wse
