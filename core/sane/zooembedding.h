#pragma once
// Embedding every checkpoint of a zoo (or a list of .pt files) with a SANE encoder.
#include "sane/embeddings.h"
#include "distributed/distributed.h"
#include "sane/saneembedder.h"

#include <string>
#include <vector>

namespace wse {

class ProgressReporter;

// Checkpoints of the zoo's architecture that the encoder reads; others are skipped with a note
// in `notes` (may be null). Streams the weights in batches; reports progress. A shard of several
// embeds only its block of checkpoints: the others' rows are there, their values zero (added up
// over the shards, the values are complete).
Embeddings embedZoo(const std::string &encoderPath, const std::string &zooPath, const EmbedOptions &options,
                    ProgressReporter *progress, std::vector<std::string> *notes = nullptr, const Shard &shard = {});

Embeddings embedCheckpointFiles(const std::string &encoderPath, const std::vector<std::string> &files,
                                const EmbedOptions &options);

// The model ids of the encoder's training split, from its provenance ("split": {"train": [...], ...}).
// Returns "" for a model the encoder did not see in any split.
std::string splitOfModel(const SaneEncoder &encoder, const std::string &modelId);

} // namespace wse
