#pragma once
// Joining zoos: the parts of a zoo trained by several processes, or zoos grown separately (e.g. by
// the tasks of a Slurm job array) — `wse zoo merge`.
#include "zoo/zoo.h"

#include <string>
#include <vector>

namespace wse {

// Copies checkpoint `checkpoint` of `from` (its row and weights) into `into` as a checkpoint of
// `into`'s model `model` (architectures matched by name). Returns its row in `into`.
int64_t copyCheckpoint(const Zoo &from, int64_t checkpoint, Zoo &into, int64_t model);

// Every model, checkpoint and training curve of the zoos, in the order given. Architectures of the
// same name must have the same layout. Throws UsageError naming both files when two zoos hold the
// same model id. The zoos' own provenance is kept when they agree, else each is listed.
Zoo mergeZoos(const std::vector<std::string> &paths);

} // namespace wse
