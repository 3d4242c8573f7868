#pragma once
// Pruned twins: magnitude-pruned copies of zoo checkpoints at chosen sparsities, evaluated on the
// zoo's data and optionally fine-tuned with their mask kept, written as a zoo file that holds the
// dense sources too, so each twin is drawn linked to its source (its `source_checkpoint`).
// Magnitude pruning as torch.nn.utils.prune.l1_unstructured (per layer) and global_unstructured
// (one threshold over every layer) do it: the round(sparsity * n) smallest |w| of the Linear and
// Conv2d weights become zero; biases and BatchNorm values are kept.
#include "zoo/architecture.h"

#include <string>
#include <vector>

namespace wse {

class ProgressReporter;

struct PruneOptions
{
    std::string zooPath;
    std::string output;                          // zoo file (.h5) of the dense sources and their twins
    std::vector<double> sparsities = {0.5, 0.8, 0.9};
    bool global = false;                         // one magnitude threshold over all layers; else per layer
    int finetuneEpochs = 0;                      // fine-tuning with the mask kept, each epoch a checkpoint
    std::string checkpoints;                     // filter expression; empty: each model's last epoch
    std::string device = "auto";
};

struct PrunedTwin
{
    std::string source;           // MODEL:EPOCH
    double targetSparsity = 0, sparsity = 0; // asked for; reached over the pruned weights
    double denseTestAccuracy = 0, prunedTestAccuracy = 0;
    std::vector<double> finetunedTestAccuracy; // per epoch
};

struct PruneReport
{
    std::vector<PrunedTwin> twins;
    std::string toText() const;
};

// Zeroes the `sparsity` share of smallest-magnitude values of each weight tensor (or of all of
// them together when `global`) of a flattened checkpoint; returns the share of those values that
// are zero afterwards.
double magnitudePrune(const Architecture &architecture, float *row, double sparsity, bool global);

// Throws UsageError for sparsities outside (0, 1), no matching checkpoint, checkpoints of several
// architectures, or a zoo without a training recipe (twins could not be evaluated).
PruneReport pruneCheckpoints(const PruneOptions &options, ProgressReporter *progress);

} // namespace wse
