#include "analysis/pca.h"

#include "common/error.h"
#include "common/parallel.h"
#include "torchutil/device.h"

#include <torch/torch.h>

#include <algorithm>
#include <tuple>

namespace wse {

namespace {

// The top `available` eigenpairs of a symmetric matrix, largest first: eigenvalues and the
// eigenvectors as rows.
std::pair<torch::Tensor, torch::Tensor> topEigenpairs(const torch::Tensor &symmetric, int64_t available)
{
    auto [values, vectors] = torch::linalg_eigh(symmetric, "L");
    return {values.flip(0).slice(0, 0, available), vectors.flip(1).slice(1, 0, available).t()};
}

// Everything but the coordinates, from the axes (available x cols), their eigenvalues of the
// scatter matrix, its trace and the mean. Each axis' sign makes its largest-magnitude loading
// positive (reproducible maps).
PcaResult describe(torch::Tensor axes, const torch::Tensor &eigenvalues, double totalSquares, const torch::Tensor &mean,
                   int64_t rows, int64_t cols, int components)
{
    const int64_t available = axes.size(0);
    torch::Tensor largest = axes.abs().argmax(1, true);
    axes = axes * axes.gather(1, largest).sign().clamp_min(0).mul(2).sub(1);
    const double denominator = double(std::max<int64_t>(rows - 1, 1));
    torch::Tensor variance = eigenvalues.clamp_min(0) / denominator;
    const double totalVariance = totalSquares / denominator;

    PcaResult result;
    result.rows = rows;
    result.components = components;
    result.dimensions = cols;
    for (int64_t i = 0; i < components; ++i) {
        const double v = i < available ? variance[i].item<double>() : 0.0;
        result.explainedVariance.push_back(v);
        result.explainedRatio.push_back(totalVariance > 0 ? v / totalVariance : 0.0);
    }
    torch::Tensor meanContiguous = mean.contiguous();
    result.mean.assign(meanContiguous.data_ptr<double>(), meanContiguous.data_ptr<double>() + cols);
    torch::Tensor allAxes = torch::zeros({components, cols}, torch::kFloat64);
    allAxes.slice(0, 0, available).copy_(axes);
    allAxes = allAxes.contiguous();
    result.axes.assign(allAxes.data_ptr<double>(), allAxes.data_ptr<double>() + allAxes.numel());
    return result;
}

} // namespace

PcaResult computePca(const float *data, int64_t rows, int64_t cols, int components)
{
    if (rows < 1 || cols < 1 || components < 1)
        throw UsageError("PCA needs at least one row, one column and one component");
    torch::NoGradGuard noGrad;
    useAllCores(); // also keeps the large temporaries in the heap instead of fresh page-faulting maps
    torch::Tensor x = torch::from_blob(const_cast<float *>(data), {rows, cols}, torch::kFloat32).to(torch::kFloat64);
    torch::Tensor mean = x.mean(0);
    torch::Tensor centred = x - mean;
    const int64_t available = std::min<int64_t>(components, std::min(rows, cols));

    torch::Tensor eigenvalues, axes; // axes: [available, cols]
    double totalSquares = 0.0;       // trace of the scatter matrix = total variance x (rows - 1)
    if (cols <= rows) {
        torch::Tensor scatter = centred.t().mm(centred);
        totalSquares = scatter.trace().item<double>();
        std::tie(eigenvalues, axes) = topEigenpairs(scatter, available);
    } else {
        // Gram trick: eigenvectors u of X X^T give axes X^T u / |X^T u|.
        torch::Tensor gram = centred.mm(centred.t());
        totalSquares = gram.trace().item<double>();
        torch::Tensor vectors;
        std::tie(eigenvalues, vectors) = topEigenpairs(gram, available);
        axes = centred.t().mm(vectors.t()).t();
        axes = axes / axes.norm(2, 1, true).clamp_min(1e-300);
    }
    PcaResult result = describe(axes, eigenvalues, totalSquares, mean, rows, cols, components);
    torch::Tensor signedAxes = torch::from_blob(result.axes.data(), {components, cols}, torch::kFloat64);
    torch::Tensor coordinates = centred.mm(signedAxes.t()).to(torch::kFloat32).contiguous();
    result.coordinates.assign(coordinates.data_ptr<float>(), coordinates.data_ptr<float>() + coordinates.numel());
    return result;
}

struct StreamingPca::Sums
{
    torch::Tensor reference; // the first block's mean: sums of differences from it lose no digits
    torch::Tensor sum, scatter;
};

StreamingPca::StreamingPca(int64_t cols) : mCols(cols), mSums(std::make_unique<Sums>()) {}
StreamingPca::~StreamingPca() = default;

void StreamingPca::accumulate(const float *data, int64_t rows)
{
    if (rows < 1)
        return;
    torch::NoGradGuard noGrad;
    useAllCores();
    torch::Tensor x = torch::from_blob(const_cast<float *>(data), {rows, mCols}, torch::kFloat32);
    if (!mSums->reference.defined()) {
        mSums->reference = x.to(torch::kFloat64).mean(0);
        mSums->sum = torch::zeros({mCols}, torch::kFloat64);
        mSums->scatter = torch::zeros({mCols, mCols}, torch::kFloat64);
    }
    // Differences from the reference are small: one block's products in float32 (twice the rate
    // of float64, the cost of opening a large zoo), added up over the blocks in float64.
    torch::Tensor centred = (x.to(torch::kFloat64) - mSums->reference).to(torch::kFloat32);
    mSums->sum += centred.sum(0, false, torch::kFloat64);
    mSums->scatter += centred.t().mm(centred).to(torch::kFloat64);
    mRows += rows;
}

PcaResult StreamingPca::finish(int components) const
{
    if (mRows < 1 || components < 1)
        throw UsageError("PCA needs at least one row and one component");
    torch::NoGradGuard noGrad;
    torch::Tensor shift = mSums->sum / double(mRows); // mean - reference
    torch::Tensor scatter = mSums->scatter - double(mRows) * torch::outer(shift, shift);
    const int64_t available = std::min<int64_t>(components, std::min(mRows, mCols));
    auto [eigenvalues, axes] = topEigenpairs(scatter, available);
    return describe(axes, eigenvalues, scatter.trace().item<double>(), mSums->reference + shift, mRows, mCols, components);
}

std::vector<float> PcaResult::project(const float *data, int64_t count) const
{
    std::vector<float> out(size_t(count * components), 0.0f);
    parallelFor(count, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r)
            for (int c = 0; c < components; ++c) {
                double sum = 0.0;
                const double *axis = axes.data() + int64_t(c) * dimensions;
                for (int64_t j = 0; j < dimensions; ++j)
                    sum += (double(data[r * dimensions + j]) - mean[size_t(j)]) * axis[j];
                out[size_t(r * components + c)] = float(sum);
            }
    });
    return out;
}

} // namespace wse
