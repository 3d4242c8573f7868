#pragma once
// Principal component analysis of a row-major matrix (rows = samples), computed with LibTorch on
// the smaller of the covariance (cols x cols) and Gram (rows x rows) eigenproblems, in float64.
#include <cstdint>
#include <memory>
#include <vector>

namespace wse {

struct PcaResult
{
    int64_t rows = 0;
    int components = 0;
    int64_t dimensions = 0;
    std::vector<float> coordinates;          // rows x components
    std::vector<double> explainedVariance;   // per component (variance along it)
    std::vector<double> explainedRatio;      // per component, fraction of total variance
    std::vector<double> mean;                // dimensions
    std::vector<double> axes;                // components x dimensions, unit vectors

    // Projects new rows (rows x dimensions) into this map without recomputing it.
    std::vector<float> project(const float *data, int64_t count) const;
};

// Signs are fixed so that each axis' largest-magnitude loading is positive (reproducible maps).
// Fewer components than asked are returned only when the data has fewer dimensions or rows; the
// missing coordinates are then zero. Throws UsageError for empty input.
PcaResult computePca(const float *data, int64_t rows, int64_t cols, int components = 3);

// PCA of rows that arrive in blocks (a matrix larger than memory): every row is accumulated once
// (its sum and the cols x cols scatter matrix: each block's in float32, their total in float64),
// then finish() gives the mean, axes and variances as computePca does, without coordinates: place
// rows with PcaResult::project.
class StreamingPca
{
public:
    explicit StreamingPca(int64_t cols);
    ~StreamingPca();
    StreamingPca(const StreamingPca &) = delete;
    StreamingPca &operator=(const StreamingPca &) = delete;

    void accumulate(const float *data, int64_t rows);
    int64_t rows() const { return mRows; }
    PcaResult finish(int components = 3) const; // throws UsageError before any row

private:
    struct Sums;
    int64_t mCols = 0, mRows = 0;
    std::unique_ptr<Sums> mSums;
};

} // namespace wse
