#include "analysis/pca.h"

#include "common/error.h"
#include "torchutil/device.h"

#include <torch/torch.h>

#include <algorithm>

namespace wse {

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
        auto [values, vectors] = torch::linalg_eigh(scatter, "L");
        eigenvalues = values.flip(0).slice(0, 0, available);
        axes = vectors.flip(1).slice(1, 0, available).t();
    } else {
        // Gram trick: eigenvectors u of X X^T give axes X^T u / |X^T u|.
        torch::Tensor gram = centred.mm(centred.t());
        totalSquares = gram.trace().item<double>();
        auto [values, vectors] = torch::linalg_eigh(gram, "L");
        eigenvalues = values.flip(0).slice(0, 0, available);
        axes = centred.t().mm(vectors.flip(1).slice(1, 0, available)).t();
        axes = axes / axes.norm(2, 1, true).clamp_min(1e-300);
    }
    // Deterministic sign: the largest-magnitude loading of each axis is positive.
    torch::Tensor largest = axes.abs().argmax(1, true);
    axes = axes * axes.gather(1, largest).sign().clamp_min(0).mul(2).sub(1);

    const double denominator = double(std::max<int64_t>(rows - 1, 1));
    torch::Tensor variance = eigenvalues.clamp_min(0) / denominator;
    const double totalVariance = totalSquares / denominator;

    PcaResult result;
    result.rows = rows;
    result.components = components;
    result.dimensions = cols;
    torch::Tensor coordinates = torch::zeros({rows, components}, torch::kFloat64);
    coordinates.slice(1, 0, available).copy_(centred.mm(axes.t()));
    coordinates = coordinates.to(torch::kFloat32).contiguous();
    result.coordinates.assign(coordinates.data_ptr<float>(), coordinates.data_ptr<float>() + coordinates.numel());
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

std::vector<float> PcaResult::project(const float *data, int64_t count) const
{
    std::vector<float> out(size_t(count * components), 0.0f);
    for (int64_t r = 0; r < count; ++r)
        for (int c = 0; c < components; ++c) {
            double sum = 0.0;
            const double *axis = axes.data() + int64_t(c) * dimensions;
            for (int64_t j = 0; j < dimensions; ++j)
                sum += (double(data[r * dimensions + j]) - mean[size_t(j)]) * axis[j];
            out[size_t(r * components + c)] = float(sum);
        }
    return out;
}

} // namespace wse
