#pragma once
// A zoo trained by several processes (`wse zoo train` under torchrun or srun): each trains the
// populations it owns into a part file of its own (resumable like a whole zoo), and the first
// assembles the parts into the zoo one process would have written — every model's random streams
// are its own, so each ends bit-identical to a one-process run.
#include "distributed/distributed.h"
#include "training/zootrainoptions.h"
#include "zoo/zoo.h"

#include <string>

namespace wse {

// Where shard `shard` writes its part of `output`: OUTPUT.part-<index+1>-of-<count>.
std::string zooPartPath(const std::string &output, const Shard &shard);

// Once every part is complete: the zoo as one process writes it (models in configuration order;
// checkpoints and curves epoch by epoch, population by population), written atomically to `output`;
// the parts are removed. Throws UsageError naming a part that is missing or unfinished.
Zoo assembleZooParts(const ZooTrainOptions &options, const std::string &output, int count);

} // namespace wse
