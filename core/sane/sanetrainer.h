#pragma once
// Training a SANE encoder on a zoo (sane-spec §5): split by model, per-layer standardisation from
// the training split, random windows (one start per batch), two views with multiplicative noise,
// gamma * NT-Xent + (1 - gamma) * masked MSE, AdamW (decay on matrices only) with a per-step
// OneCycle schedule that also cycles beta1. Resumable: re-running with the same run folder goes
// on from the last finished epoch.
//
// Run folder: encoder.pt (latest), checkpoint_<epoch>/encoder.pt, log.json (per-epoch losses),
// params.json and dataset_normalization_train.json (the official files), training_state.pt.
#include "sane/saneconfig.h"

#include <string>
#include <vector>

namespace wse {

class ProcessGroup;
class ProgressReporter;

struct SaneTrainOptions
{
    std::string zooPath;
    std::string runDir;
    std::string device = "auto";
    std::string precision = "fp32"; // or "bf16": mixed precision (torch.autocast semantics)
    SaneConfig config = SaneConfig::preset("small");

    static SaneTrainOptions defaults() { return {}; }
};

struct SaneEpochLog
{
    int epoch = 0;
    double loss = 0, reconstruction = 0, contrastive = 0;          // training averages
    double valLoss = 0, valReconstruction = 0, valContrastive = 0; // validation split
    double learningRate = 0;
    double seconds = 0;
};

// Returns the whole log (earlier epochs of a resumed run included). Throws UsageError for a zoo
// SANE cannot train on (too few models, window longer than the token sequence), Cancelled when
// the progress callback asks to stop (the last finished epoch is kept). With a group of several
// processes (torchrun, srun) it trains data-parallel: each takes its share of every global batch,
// the first writes the run folder (which the others read to resume: a shared file system).
std::vector<SaneEpochLog> trainSane(const SaneTrainOptions &options, ProgressReporter *progress,
                                    ProcessGroup *group = nullptr);

// The log.json of a run folder ([] when there is none yet).
std::vector<SaneEpochLog> readSaneLog(const std::string &runDir);

} // namespace wse
