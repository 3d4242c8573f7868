#pragma once
// The zoo-training job: expands the grid, groups models into populations (one activation and
// optimizer each), trains them epoch by epoch and writes the zoo file after every epoch, so the
// file on disk is always a valid zoo holding every completed epoch.
#include "jobs/progress.h"
#include "training/zootrainoptions.h"
#include "zoo/zoo.h"

#include <string>

namespace wse {

// Trains and writes `outputPath` (atomically, after each epoch). Returns the finished zoo.
// Throws Cancelled when the callback asks to stop (the file then holds the completed epochs).
Zoo trainZoo(const ZooTrainOptions &options, const std::string &outputPath, const ProgressCallback &progress);

} // namespace wse
