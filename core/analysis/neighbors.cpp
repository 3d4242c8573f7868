#include "analysis/neighbors.h"

#include "common/error.h"
#include "common/parallel.h"
#include "torchutil/device.h"

#ifdef WSE_HAVE_HNSWLIB
#include <hnswlib/hnswlib.h>
#endif
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace wse {

namespace {

constexpr int64_t QueryBlock = 1024;

// Rows as a float32 tensor; cosine rows are unit-normalised so that squared Euclidean distance
// is 2 (1 - cosine similarity) and one code path serves both metrics.
torch::Tensor prepared(const float *data, int64_t points, int64_t dims, DistanceMetric metric)
{
    useAllCores(); // also keeps large temporary buffers in the heap (no page faults per block)
    torch::Tensor x = torch::from_blob(const_cast<float *>(data), {points, dims}, torch::kFloat32).clone();
    if (metric == DistanceMetric::Cosine)
        x = x / x.norm(2, 1, true).clamp_min(1e-12f);
    return x;
}

float fromSquared(float squared, DistanceMetric metric)
{
    squared = std::max(squared, 0.0f);
    return metric == DistanceMetric::Cosine ? squared / 2 : std::sqrt(squared);
}

// Squared distances of query rows to all points: |q|^2 + |x|^2 - 2 q.x, clamped at zero.
torch::Tensor squaredDistances(const torch::Tensor &queries, const torch::Tensor &points, const torch::Tensor &pointNorms)
{
    torch::Tensor d = queries.pow(2).sum(1, true) + pointNorms.unsqueeze(0) - 2 * queries.mm(points.t());
    return d.clamp_min_(0);
}

// Exact distances for the chosen neighbours (the expansion above loses precision for near points).
void refineDistances(const torch::Tensor &queries, const torch::Tensor &x, NeighborGraph &graph, int64_t first,
                     int64_t count, DistanceMetric metric)
{
    const float *q = queries.data_ptr<float>();
    const float *p = x.data_ptr<float>();
    const int64_t dims = x.size(1);
    for (int64_t r = 0; r < count; ++r)
        for (int j = 0; j < graph.k; ++j) {
            const float *a = q + r * dims, *b = p + int64_t(graph.indices[size_t((first + r) * graph.k + j)]) * dims;
            float sum = 0;
            for (int64_t c = 0; c < dims; ++c)
                sum += (a[c] - b[c]) * (a[c] - b[c]);
            graph.distances[size_t((first + r) * graph.k + j)] = fromSquared(sum, metric);
        }
}

// Re-sorts each row by refined distance, ties by index, so the order does not depend on rounding.
void sortRows(NeighborGraph &graph)
{
    std::vector<std::pair<float, int32_t>> row(size_t(graph.k));
    for (int64_t i = 0; i < graph.points; ++i) {
        for (int j = 0; j < graph.k; ++j)
            row[size_t(j)] = {graph.distances[size_t(i * graph.k + j)], graph.indices[size_t(i * graph.k + j)]};
        std::sort(row.begin(), row.end());
        for (int j = 0; j < graph.k; ++j) {
            graph.distances[size_t(i * graph.k + j)] = row[size_t(j)].first;
            graph.indices[size_t(i * graph.k + j)] = row[size_t(j)].second;
        }
    }
}

NeighborGraph exactNeighbors(const torch::Tensor &x, const torch::Tensor &queries, int k, bool excludeSelf,
                             DistanceMetric metric, ProgressReporter *progress)
{
    torch::NoGradGuard noGrad;
    NeighborGraph graph;
    graph.points = queries.size(0);
    graph.k = k;
    graph.indices.resize(size_t(graph.points * k));
    graph.distances.resize(size_t(graph.points * k));
    const torch::Tensor norms = x.pow(2).sum(1);
    for (int64_t first = 0; first < graph.points; first += QueryBlock) {
        const int64_t count = std::min(QueryBlock, graph.points - first);
        torch::Tensor block = queries.slice(0, first, first + count);
        torch::Tensor d = squaredDistances(block, x, norms);
        if (excludeSelf)
            d.slice(1, first, first + count).fill_diagonal_(std::numeric_limits<float>::infinity());
        torch::Tensor nearest = std::get<1>(d.topk(k, 1, /*largest=*/false, /*sorted=*/true)).to(torch::kInt32).contiguous();
        std::copy(nearest.data_ptr<int32_t>(), nearest.data_ptr<int32_t>() + count * k, graph.indices.begin() + first * k);
        refineDistances(block.contiguous(), x, graph, first, count, metric);
        if (progress)
            progress->report(double(first + count) / double(graph.points), "neighbours",
                             std::to_string(first + count) + " of " + std::to_string(graph.points) + " points (exact)");
    }
    sortRows(graph);
    return graph;
}

#ifdef WSE_HAVE_HNSWLIB
NeighborGraph approximateNeighbors(const torch::Tensor &x, int k, const NeighborOptions &options, ProgressReporter *progress)
{
    const int64_t points = x.size(0), dims = x.size(1);
    const float *rows = x.data_ptr<float>();
    hnswlib::L2Space space(static_cast<size_t>(dims));
    // M 16 with a construction and search breadth of 40 and 50: as trustworthy a UMAP as 80/100
    // (0.976 at 10^5 points) in two thirds of the time; the build is most of it.
    hnswlib::HierarchicalNSW<float> index(&space, size_t(points), 16, 40, size_t(options.seed % 1000003));
    // One thread for the build: parallel insertion would make the graph depend on scheduling.
    for (int64_t i = 0; i < points; ++i) {
        index.addPoint(rows + i * dims, hnswlib::labeltype(i));
        if (progress && (i % 2000 == 0 || i + 1 == points))
            progress->report(0.8 * double(i + 1) / double(points), "neighbour index",
                             std::to_string(i + 1) + " of " + std::to_string(points) + " points (HNSW)");
    }
    index.setEf(size_t(std::max(2 * (k + 1), 50)));
    NeighborGraph graph;
    graph.points = points;
    graph.k = k;
    graph.exact = false;
    graph.indices.resize(size_t(points * k));
    graph.distances.resize(size_t(points * k));
    parallelFor(points, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            auto found = index.searchKnn(rows + i * dims, size_t(k + 1));
            std::vector<std::pair<float, int32_t>> row;
            while (!found.empty()) {
                if (int64_t(found.top().second) != i)
                    row.emplace_back(found.top().first, int32_t(found.top().second));
                found.pop();
            }
            std::sort(row.begin(), row.end());
            row.resize(size_t(k), {std::numeric_limits<float>::infinity(), int32_t(i)});
            for (int j = 0; j < k; ++j) {
                graph.indices[size_t(i * k + j)] = row[size_t(j)].second;
                graph.distances[size_t(i * k + j)] = fromSquared(row[size_t(j)].first, options.metric);
            }
        }
    });
    if (progress)
        progress->report(1.0, "neighbours", std::to_string(points) + " points (HNSW)");
    return graph;
}
#else
NeighborGraph approximateNeighbors(const torch::Tensor &x, int k, const NeighborOptions &options, ProgressReporter *progress)
{
    return exactNeighbors(x, x, k, true, options.metric, progress); // built without hnswlib
}
#endif

} // namespace

NeighborGraph nearestNeighbors(const float *data, int64_t points, int64_t dims, int k, const NeighborOptions &options,
                               ProgressReporter *progress)
{
    if (points < 2 || dims < 1)
        throw UsageError("neighbours need at least two points");
    if (k < 1 || k >= points)
        throw UsageError("cannot find " + std::to_string(k) + " neighbours among " + std::to_string(points) + " points");
    torch::Tensor x = prepared(data, points, dims, options.metric);
    const bool exact = options.search == NeighborSearch::Exact ||
                       (options.search == NeighborSearch::Auto && points <= options.exactLimit);
    return exact ? exactNeighbors(x, x, k, true, options.metric, progress) : approximateNeighbors(x, k, options, progress);
}

NeighborGraph queryNeighbors(const float *data, int64_t points, int64_t dims, const float *queries, int64_t queryCount,
                             int k, DistanceMetric metric)
{
    if (k < 1 || k > points)
        throw UsageError("cannot find " + std::to_string(k) + " neighbours among " + std::to_string(points) + " points");
    if (queryCount == 0)
        return NeighborGraph{0, k, true, {}, {}};
    return exactNeighbors(prepared(data, points, dims, metric), prepared(queries, queryCount, dims, metric), k, false,
                          metric, nullptr);
}

void distanceRows(const float *data, int64_t points, int64_t dims, const std::vector<int64_t> &rows,
                  DistanceMetric metric, std::vector<float> &out)
{
    torch::NoGradGuard noGrad;
    torch::Tensor x = prepared(data, points, dims, metric);
    torch::Tensor index = torch::from_blob(const_cast<int64_t *>(rows.data()), {int64_t(rows.size())}, torch::kInt64);
    torch::Tensor d = squaredDistances(x.index_select(0, index), x, x.pow(2).sum(1));
    d = metric == DistanceMetric::Cosine ? d / 2 : d.sqrt();
    for (size_t r = 0; r < rows.size(); ++r)
        d[int64_t(r)][rows[r]] = 0.0f; // a point's distance to itself, free of rounding
    d = d.contiguous();
    out.assign(d.data_ptr<float>(), d.data_ptr<float>() + d.numel());
}

} // namespace wse
