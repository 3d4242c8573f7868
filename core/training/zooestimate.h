#pragma once
// What a zoo training job will cost before it starts: models, stored checkpoints, disk size, and
// the time on the chosen device from a short timed probe (a few population steps on real data).
#include "training/zootrainoptions.h"

#include <cstdint>
#include <string>

namespace wse {

struct ZooEstimate
{
    int64_t models = 0;
    int64_t checkpoints = 0;      // stored (epoch 0 and the checkpoint schedule)
    int64_t valuesPerCheckpoint = 0;
    double bytes = 0.0;           // weights on disk (float32, uncompressed upper bound)
    double seconds = -1.0;        // estimated training time; < 0 when not probed
    std::string device;           // resolved device the estimate is for
    std::string text() const;     // "128 models, 1,152 checkpoints, 11 MB, about 4 min on cpu (2 threads)"
};

// Counts only (no data loaded): throws UsageError for options expandModels() refuses.
ZooEstimate countZoo(const ZooTrainOptions &options);
// Counts plus a timed probe: loads the first dataset, times a few steps of one population (the
// size the job will use) and scales to every population, epoch and training image.
ZooEstimate estimateZoo(const ZooTrainOptions &options);

} // namespace wse
