#pragma once
// The point sets a map or a neighbour search runs on: a zoo's SANE embeddings, or the raw
// flattened weights of one of its architectures; each point knows its zoo checkpoint and label.
#include "sane/embeddings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct MapInput
{
    std::string key;       // "sane:<encoder id>" or "weights:<architecture>"
    std::string zooPath;
    int64_t dims = 0;
    std::vector<float> values;        // count() x dims
    std::vector<int64_t> checkpoints; // zoo checkpoint index of each point (-1: a loose .pt file)
    std::vector<std::string> labels;  // "MODEL:EPOCH"
    std::vector<std::string> notes;   // e.g. points left out because they are not finite

    int64_t count() const { return int64_t(checkpoints.size()); }
    const float *row(int64_t i) const { return values.data() + i * dims; }
    // Index of the point with this "MODEL:EPOCH" label; throws UsageError listing a few labels.
    int64_t find(const std::string &label) const;
};

// Rows with non-finite values (diverged models) are left out and counted in notes.
MapInput mapInputFromEmbeddings(const Embeddings &embeddings);
// The weights of one architecture of a zoo file (by name; empty: the first).
MapInput mapInputFromZooWeights(const std::string &zooPath, const std::string &architecture);

} // namespace wse
