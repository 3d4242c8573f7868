#pragma once
// The zoo-training job: expands the axes, groups models into populations (one dataset and
// batch size each), trains them epoch by epoch and rewrites the zoo file after
// every epoch, so the file on disk is always a valid zoo of every completed epoch. The file
// also carries the training state: running the same job again resumes after the last completed
// epoch and gives the same result as an uninterrupted run.
#include "data/imagedataset.h"
#include "distributed/distributed.h"
#include "jobs/progress.h"
#include "training/zootrainoptions.h"
#include "zoo/architecture.h"
#include "zoo/zoo.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

// The data and network plan of one dataset of a training job, as trainZoo builds them (also
// used to evaluate decoded and sampled networks on the zoo's own data).
struct ZooDatasetSetup
{
    TrainTestData data;
    NetworkSpec network;
};
ZooDatasetSetup setupZooDataset(const ZooTrainOptions &options, const std::string &dataset);

// The job's populations as indices into `configs`: one dataset and batch size each, at most
// `populationSize` models, the models of one activation adjacent (one activation call per run of
// them). `byActivation` also splits by activation: how training states written before
// populations mixed activations were grouped.
std::vector<std::vector<int64_t>> groupIntoPopulations(const std::vector<ModelConfig> &configs, int populationSize,
                                                       bool byActivation = false);

// Trains (or resumes) and writes `outputPath`. Returns the finished zoo. Throws Cancelled when
// the callback asks to stop, UsageError when `outputPath` holds a zoo made with other options.
// A shard of several trains only the populations it owns, into its part file
// (training/zooshards.h), unless `outputPath` is already complete.
Zoo trainZoo(const ZooTrainOptions &options, const std::string &outputPath, const ProgressCallback &progress,
             const Shard &shard = {});

} // namespace wse
