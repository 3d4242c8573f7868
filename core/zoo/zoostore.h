#pragma once
// The HDF5 zoo file (schema: docs/zoo-format.md). Reading is lazy where it matters: tables and
// architectures are small, the weight matrices are read only when asked for.
#include "zoo/zoo.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wse {

class ZooStore
{
public:
    static constexpr int FormatVersion = 1;
    static constexpr const char *FormatName = "weight-space-explorer zoo";

    // Writes the whole zoo to a temporary file and renames it over `path`. Throws IoError.
    static void write(const Zoo &zoo, const std::string &path);

    // Fills `count` rows from `firstRow` of architecture `architecture`'s weights into `out`
    // (count x cols floats).
    using WeightRowSource = std::function<void(size_t architecture, int64_t firstRow, int64_t count, float *out)>;
    // Writes a zoo larger than memory: its weight matrices give rows and cols only (no values) and
    // `rows` supplies them slab by slab, about 32 MiB at a time. Atomic and checked like write().
    static void writeStreamed(const Zoo &zoo, const WeightRowSource &rows, const std::string &path);

    // Reads tables and architectures; the weight matrices too unless `withWeights` is false (then
    // each WeightMatrix has rows/cols set and no values). Throws IoError / FormatError.
    static Zoo read(const std::string &path, bool withWeights = true);

    // Reads `count` rows (all when < 0) starting at `firstRow` of one architecture's matrix.
    static WeightMatrix readWeights(const std::string &path, const std::string &architecture,
                                    int64_t firstRow = 0, int64_t count = -1);

    // True when the file is an HDF5 file carrying our format attribute (no exception).
    static bool isZooFile(const std::string &path);
};

// Reads weight rows of one architecture with the file kept open and a chunk cache, for many
// small reads (the explorer fetching checkpoints one by one, SANE streaming a zoo).
class ZooWeightReader
{
public:
    ZooWeightReader(const std::string &path, const std::string &architecture, size_t cacheBytes = 64 << 20);
    ~ZooWeightReader();
    ZooWeightReader(const ZooWeightReader &) = delete;
    ZooWeightReader &operator=(const ZooWeightReader &) = delete;

    int64_t rows() const;
    int64_t cols() const;
    // Copies `count` rows starting at `firstRow` into `out` (count x cols floats).
    void read(int64_t firstRow, int64_t count, float *out);
    // Copies the given rows, in that order, into `out` (rows.size() x cols floats); each run of
    // consecutive rows is one read.
    void readRows(const std::vector<int64_t> &rows, float *out);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace wse
