#pragma once
// Moving single checkpoints between zoo files and PyTorch .pt files.
#include "checkpoint/statedict.h"
#include "zoo/zoo.h"

#include <string>
#include <utility>
#include <vector>

namespace wse {

// The zoo checkpoint of a model at an epoch; throws UsageError naming what is missing.
int64_t findCheckpoint(const Zoo &zoo, const std::string &modelId, int epoch);
// The same for the name "MODEL:EPOCH" (Zoo::checkpointName); throws UsageError for another form.
int64_t findCheckpoint(const Zoo &zoo, const std::string &modelAndEpoch);

// One checkpoint's flattened weights: from memory when the zoo was read with them, else its file.
std::vector<float> checkpointWeights(const Zoo &zoo, const std::string &zooPath, int64_t checkpoint);

// A checkpoint as a state_dict (float32), with the model's own key names (e.g. dropout-shifted
// CNN-s indices) so that it loads into the model's original PyTorch class. Reads only that row.
StateDict exportCheckpoint(const std::string &zooPath, const std::string &modelId, int epoch);

// The provenance sidecar of one exported checkpoint (OUT.pt.json, JSON text): its model id and epoch,
// the zoo it came from and how that zoo was made (the zoo's stored provenance: the training
// configuration, or the sampling command, encoder, anchors and seed), every column of its row
// (hyper-parameters, metrics, evaluation), and the caller's `extra` object (the explorer: how it
// generated the network).
std::string checkpointProvenance(const Zoo &zoo, const std::string &zooPath, int64_t checkpoint,
                                 const std::string &extraJson = "{}");

// `wse zoo export` and the explorer's Export Network: writes the checkpoint to `output` and, with
// `provenance`, its sidecar to `output` + ".json" (both atomically). Returns what was written.
StateDict exportCheckpointFile(const std::string &zooPath, const std::string &modelId, int epoch,
                               const std::string &output, bool provenance, const std::string &extraJson = "{}");

// Adds each .pt file as a model with one checkpoint (epoch from meta "epoch", default 0). Its
// architecture is matched by tensor shapes, or added. `meta` values become model columns
// (numbers where they parse as numbers), except "epoch" and metric names, which go to the
// checkpoint. Writes the zoo atomically. Returns the ids given to the new models.
std::vector<std::string> addCheckpoints(const std::string &zooPath, const std::vector<std::string> &files,
                                        const std::vector<std::pair<std::string, std::string>> &meta);

} // namespace wse
