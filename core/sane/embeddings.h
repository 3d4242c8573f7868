#pragma once
// SANE embeddings of a zoo's checkpoints (or of single .pt files), stored with the identity of
// the encoder that made them so the explorer can tell when they are stale. Schema:
// docs/embeddings-format.md.
#include "zoo/table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace H5 {
class Group;
}

namespace wse {

struct Embeddings
{
    static constexpr int FormatVersion = 1;
    static constexpr const char *FormatName = "weight-space-explorer embeddings";

    std::string encoderId;   // SaneEncoder::id()
    std::string encoderPath;
    std::string source;      // the zoo file (or "checkpoints")
    std::string mode;        // full or windowed
    int64_t dims = 0;
    // One row per embedded checkpoint: "checkpoint" (row in the zoo's checkpoint table, -1 for
    // files), "model_id", "epoch", "split" (train/val/test of the encoder's training, or empty).
    Table rows;
    std::vector<float> values; // rows x dims

    int64_t count() const { return rows.rowCount(); }
    const float *row(int64_t index) const { return values.data() + index * dims; }

    // .h5: HDF5 (atomic); .csv: one line per checkpoint with its columns and z0..z<dims-1>.
    void write(const std::string &path) const;
    // Reads the HDF5 form. Throws IoError / FormatError naming the file.
    static Embeddings read(const std::string &path);

    // The HDF5 form inside any group (a workspace keeps one group per encoder). H5 exceptions pass
    // through; readFrom throws FormatError naming `path` for content problems.
    void writeTo(H5::Group &group) const;
    static Embeddings readFrom(const H5::Group &group, const std::string &path);
};

} // namespace wse
