#include "analysis/tsne.h"

#include "analysis/pca.h"
#include "common/error.h"
#include "common/parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace wse::tsne {

namespace {

// A 2^D-ary space-partitioning tree (quadtree, octree) over the current layout, built by
// partitioning an index array. Nodes are compact (float centre of mass, squared width, count) and
// stored depth-first with only their non-empty children, contiguous, so the force traversal
// touches little memory.
template <int D>
class SpaceTree
{
public:
    struct Node
    {
        float mass[D];           // centre of mass
        float width2 = 0;        // squared side length of the cell
        float count = 0;
        int32_t firstChild = -1; // -1 for a leaf
        int32_t children = 0;
        int32_t begin = 0, end = 0; // a leaf's points in mPoints
    };

    // Rebuilt every iteration; the buffers are kept (no page faults from fresh allocations).
    void rebuild(const std::vector<double> &y, int64_t points)
    {
        mOrder.resize(size_t(points));
        std::iota(mOrder.begin(), mOrder.end(), 0);
        mNodes.clear();
        double lo[D], hi[D], centre[D], width = 0;
        std::fill(lo, lo + D, std::numeric_limits<double>::max());
        std::fill(hi, hi + D, std::numeric_limits<double>::lowest());
        for (int64_t i = 0; i < points; ++i)
            for (int c = 0; c < D; ++c) {
                lo[c] = std::min(lo[c], y[size_t(i * D + c)]);
                hi[c] = std::max(hi[c], y[size_t(i * D + c)]);
            }
        for (int c = 0; c < D; ++c) {
            centre[c] = (lo[c] + hi[c]) / 2;
            width = std::max(width, hi[c] - lo[c]);
        }
        width = width * (1 + 1e-9) + 1e-12;
        mNodes.reserve(size_t(points) * 2);
        mNodes.emplace_back();
        build(y, 0, 0, points, centre, width, 0);
        mPoints.resize(mOrder.size() * D);
        for (size_t p = 0; p < mOrder.size(); ++p)
            for (int c = 0; c < D; ++c)
                mPoints[p * D + c] = float(y[size_t(mOrder[p] * D + c)]);
    }

    // Repulsion on point i at yi: sum over cells of N q^2 (y_i - y_cell) with q = 1 / (1 + d^2),
    // and the point's share of the normalisation Z = sum of N q.
    double repulsion(int64_t i, const double *yiDouble, float theta2, double *forceOut) const
    {
        float yi[D], force[D] = {};
        for (int c = 0; c < D; ++c)
            yi[c] = float(yiDouble[c]);
        float z = 0;
        int32_t stack[64 * (1 << D)];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const Node &node = mNodes[size_t(stack[--top])];
            float diff[D], d2 = 0;
            for (int c = 0; c < D; ++c) {
                diff[c] = yi[c] - node.mass[c];
                d2 += diff[c] * diff[c];
            }
            if (node.firstChild < 0) {
                if (node.end - node.begin == 1) {
                    if (mOrder[size_t(node.begin)] != i)
                        z += interact(diff, d2, 1.0f, force);
                    continue;
                }
                for (int32_t p = node.begin; p < node.end; ++p) {
                    if (mOrder[size_t(p)] == i)
                        continue;
                    float pd[D], pd2 = 0;
                    for (int c = 0; c < D; ++c) {
                        pd[c] = yi[c] - mPoints[size_t(p) * D + c];
                        pd2 += pd[c] * pd[c];
                    }
                    z += interact(pd, pd2, 1.0f, force);
                }
            } else if (node.width2 < theta2 * d2) {
                z += interact(diff, d2, node.count, force);
            } else {
                for (int32_t child = 0; child < node.children; ++child)
                    stack[top++] = node.firstChild + child;
            }
        }
        for (int c = 0; c < D; ++c)
            forceOut[c] += force[c];
        return z;
    }

    std::vector<double> pointZ; // scratch for the gradient: each point's share of Z

private:
    static float interact(const float *diff, float d2, float count, float *force)
    {
        const float q = 1.0f / (1.0f + d2);
        const float m = count * q * q;
        for (int c = 0; c < D; ++c)
            force[c] += m * diff[c];
        return count * q;
    }

    void build(const std::vector<double> &y, int32_t index, int64_t begin, int64_t end, const double *centre, double width,
               int depth)
    {
        double mass[D] = {};
        for (int64_t p = begin; p < end; ++p)
            for (int c = 0; c < D; ++c)
                mass[c] += y[size_t(mOrder[size_t(p)] * D + c)];
        {
            Node &node = mNodes[size_t(index)];
            for (int c = 0; c < D; ++c)
                node.mass[c] = float(mass[c] / double(end - begin));
            node.width2 = float(width * width);
            node.count = float(end - begin);
            node.begin = int32_t(begin);
            node.end = int32_t(end);
        }
        // Leaves: one point, or a depth limit (duplicates would otherwise recurse forever).
        if (end - begin <= 1 || depth >= 40)
            return;
        // Order this cell's points by child (bit c set: above the centre on axis c).
        auto childOf = [&](int64_t point) {
            int child = 0;
            for (int c = 0; c < D; ++c)
                if (y[size_t(point * D + c)] >= centre[c])
                    child |= 1 << c;
            return child;
        };
        int64_t bounds[(1 << D) + 1] = {};
        for (int64_t p = begin; p < end; ++p)
            ++bounds[childOf(mOrder[size_t(p)]) + 1];
        for (int child = 0; child < (1 << D); ++child)
            bounds[child + 1] += bounds[child];
        mScratch.resize(size_t(end - begin));
        int64_t fill[1 << D] = {};
        for (int64_t p = begin; p < end; ++p) {
            const int child = childOf(mOrder[size_t(p)]);
            mScratch[size_t(bounds[child] + fill[child]++)] = mOrder[size_t(p)];
        }
        std::copy(mScratch.begin(), mScratch.begin() + (end - begin), mOrder.begin() + begin);
        int32_t children = 0;
        for (int child = 0; child < (1 << D); ++child)
            children += bounds[child + 1] > bounds[child];
        const int32_t first = int32_t(mNodes.size());
        mNodes[size_t(index)].firstChild = first;
        mNodes[size_t(index)].children = children;
        mNodes.resize(mNodes.size() + size_t(children));
        int32_t slot = first;
        for (int child = 0; child < (1 << D); ++child) {
            if (bounds[child + 1] == bounds[child])
                continue;
            double childCentre[D];
            for (int axis = 0; axis < D; ++axis)
                childCentre[axis] = centre[axis] + ((child >> axis) & 1 ? 0.25 : -0.25) * width;
            build(y, slot++, begin + bounds[child], begin + bounds[child + 1], childCentre, width / 2, depth + 1);
        }
    }

    std::vector<int64_t> mOrder;
    std::vector<int64_t> mScratch;
    std::vector<float> mPoints; // coordinates in mOrder order (leaves with several points)
    std::vector<Node> mNodes;
};

template <int D>
void gradient(SpaceTree<D> &tree, const std::vector<double> &y, int64_t points, const Affinities &p, double exaggeration,
              double theta, std::vector<double> &grad)
{
    tree.rebuild(y, points);
    std::vector<double> &z = tree.pointZ;
    z.resize(size_t(points));
    parallelFor(points, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            double repulsive[D] = {};
            z[size_t(i)] = tree.repulsion(i, y.data() + i * D, float(theta * theta), repulsive);
            for (int c = 0; c < D; ++c)
                grad[size_t(i * D + c)] = -repulsive[c]; // scaled by 1/Z below
        }
    }, 256);
    const double zSum = std::max(std::accumulate(z.begin(), z.end(), 0.0), 1e-300);
    parallelFor(points, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            double attractive[D] = {};
            const double *yi = y.data() + i * D;
            for (int64_t e = p.offsets[size_t(i)]; e < p.offsets[size_t(i + 1)]; ++e) {
                const double *yj = y.data() + int64_t(p.columns[size_t(e)]) * D;
                double d2 = 0;
                for (int c = 0; c < D; ++c)
                    d2 += (yi[c] - yj[c]) * (yi[c] - yj[c]);
                const double m = exaggeration * p.values[size_t(e)] / (1.0 + d2);
                for (int c = 0; c < D; ++c)
                    attractive[c] += m * (yi[c] - yj[c]);
            }
            for (int c = 0; c < D; ++c)
                grad[size_t(i * D + c)] = 4.0 * (attractive[c] + grad[size_t(i * D + c)] / zSum);
        }
    }, 256);
}

} // namespace

std::vector<double> conditionalProbabilities(const NeighborGraph &graph, double perplexity)
{
    const int k = graph.k;
    std::vector<double> probabilities(size_t(graph.points * k));
    const double desiredEntropy = std::log(perplexity);
    parallelFor(graph.points, [&](int64_t begin, int64_t end) {
        std::vector<double> d2(static_cast<size_t>(k));
        for (int64_t i = begin; i < end; ++i) {
            for (int j = 0; j < k; ++j)
                d2[size_t(j)] = double(graph.distancesOf(i)[j]) * graph.distancesOf(i)[j];
            double beta = 1.0, betaMin = -std::numeric_limits<double>::infinity(), betaMax = std::numeric_limits<double>::infinity();
            double *p = probabilities.data() + i * k;
            for (int step = 0; step < 100; ++step) {
                double sum = 0;
                for (int j = 0; j < k; ++j)
                    sum += (p[j] = std::exp(-d2[size_t(j)] * beta));
                sum = std::max(sum, 1e-8);
                double weighted = 0;
                for (int j = 0; j < k; ++j) {
                    p[j] /= sum;
                    weighted += d2[size_t(j)] * p[j];
                }
                const double entropy = std::log(sum) + beta * weighted;
                const double difference = entropy - desiredEntropy;
                if (std::fabs(difference) <= 1e-5)
                    break;
                if (difference > 0) {
                    betaMin = beta;
                    beta = std::isinf(betaMax) ? beta * 2 : (beta + betaMax) / 2;
                } else {
                    betaMax = beta;
                    beta = std::isinf(betaMin) ? beta / 2 : (beta + betaMin) / 2;
                }
            }
        }
    });
    return probabilities;
}

Affinities jointProbabilities(const NeighborGraph &graph, double perplexity)
{
    const std::vector<double> conditional = conditionalProbabilities(graph, perplexity);
    struct Entry { int32_t row, column; double value; };
    std::vector<Entry> entries;
    entries.reserve(conditional.size() * 2);
    for (int64_t i = 0; i < graph.points; ++i)
        for (int j = 0; j < graph.k; ++j) {
            const double value = conditional[size_t(i * graph.k + j)];
            entries.push_back({int32_t(i), graph.neighbors(i)[j], value});
            entries.push_back({graph.neighbors(i)[j], int32_t(i), value});
        }
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.row != b.row ? a.row < b.row : a.column != b.column ? a.column < b.column : a.value < b.value;
    });
    Affinities p;
    p.offsets.assign(size_t(graph.points + 1), 0);
    double total = 0;
    for (size_t e = 0; e < entries.size(); ++e) {
        if (!p.columns.empty() && e > 0 && entries[e - 1].row == entries[e].row && entries[e - 1].column == entries[e].column) {
            p.values.back() += entries[e].value;
        } else {
            p.columns.push_back(entries[e].column);
            p.values.push_back(entries[e].value);
            ++p.offsets[size_t(entries[e].row + 1)];
        }
        total += entries[e].value;
    }
    std::partial_sum(p.offsets.begin(), p.offsets.end(), p.offsets.begin());
    for (double &v : p.values)
        v /= std::max(total, 1e-300);
    return p;
}

std::vector<float> run(const float *data, int64_t points, int64_t dims, const ProjectionSettings &settings,
                       std::vector<std::string> &notes, ProgressReporter *progress, const LayoutCallback &layoutCallback)
{
    if (settings.dims != 2 && settings.dims != 3)
        throw UsageError("t-SNE maps to 2 or 3 dimensions");
    if (settings.perplexity <= 0 || points < 3)
        throw UsageError("t-SNE needs a positive perplexity and at least three points");
    const int k = int(std::min<int64_t>(points - 1, int64_t(3.0 * settings.perplexity + 1)));
    ProgressReporter neighbours = partOf(progress, 0.0, 0.05);
    const NeighborGraph knn = nearestNeighbors(data, points, dims, k, {settings.metric, settings.search, 30000, settings.seed},
                                               &neighbours);
    if (!knn.exact)
        notes.push_back("neighbours approximate (HNSW)");
    const Affinities p = jointProbabilities(knn, settings.perplexity);
    if (progress)
        progress->report(0.05, "t-SNE affinities", std::to_string(points) + " points, " + std::to_string(k) + " neighbours");

    const int d = settings.dims;
    const std::vector<float> start = computePca(data, points, dims, d).coordinates;
    double mean = 0, variance = 0;
    for (int64_t i = 0; i < points; ++i)
        mean += start[size_t(i * d)];
    mean /= double(points);
    for (int64_t i = 0; i < points; ++i)
        variance += (start[size_t(i * d)] - mean) * (start[size_t(i * d)] - mean);
    const double scale = 1e-4 / std::max(std::sqrt(variance / double(points)), 1e-300);
    std::vector<double> y(start.begin(), start.end());
    for (double &v : y)
        v *= scale;

    const double learningRate = settings.learningRate > 0 ? settings.learningRate
                                                          : std::max(double(points) / settings.earlyExaggeration / 4.0, 50.0);
    std::vector<double> grad(y.size()), update(y.size(), 0.0), gains(y.size(), 1.0);
    std::vector<float> snapshot(y.size());
    SpaceTree<2> tree2;
    SpaceTree<3> tree3;
    for (int iteration = 0; iteration < settings.iterations; ++iteration) {
        const bool exploring = iteration < settings.exaggerationIterations;
        const double exaggeration = exploring ? settings.earlyExaggeration : 1.0;
        const double momentum = exploring ? 0.5 : 0.8;
        if (d == 2)
            gradient<2>(tree2, y, points, p, exaggeration, settings.theta, grad);
        else
            gradient<3>(tree3, y, points, p, exaggeration, settings.theta, grad);
        for (size_t v = 0; v < y.size(); ++v) {
            gains[v] = update[v] * grad[v] < 0.0 ? gains[v] + 0.2 : std::max(gains[v] * 0.8, 0.01);
            update[v] = momentum * update[v] - learningRate * gains[v] * grad[v];
            y[v] += update[v];
        }
        if (progress)
            progress->report(0.05 + 0.95 * double(iteration + 1) / settings.iterations, "t-SNE",
                             "iteration " + std::to_string(iteration + 1) + " of " + std::to_string(settings.iterations));
        if (layoutCallback && ((iteration + 1) % 10 == 0 || iteration + 1 == settings.iterations)) {
            std::copy(y.begin(), y.end(), snapshot.begin());
            layoutCallback(snapshot, iteration + 1, settings.iterations);
        }
    }
    return std::vector<float>(y.begin(), y.end());
}

std::vector<float> place(const float *data, int64_t points, int64_t dims, const std::vector<float> &layout,
                         const ProjectionSettings &settings, const float *newPoints, int64_t count)
{
    const int d = settings.dims;
    const int k = int(std::min<int64_t>(points, int64_t(3.0 * settings.perplexity + 1)));
    const NeighborGraph knn = queryNeighbors(data, points, dims, newPoints, count, k, settings.metric);
    const std::vector<double> weights = conditionalProbabilities(knn, settings.perplexity);
    std::vector<float> placed(size_t(count * d), 0.0f);
    for (int64_t i = 0; i < count; ++i)
        for (int j = 0; j < k; ++j)
            for (int c = 0; c < d; ++c)
                placed[size_t(i * d + c)] += float(weights[size_t(i * k + j)]) * layout[size_t(int64_t(knn.neighbors(i)[j]) * d + c)];
    return placed;
}

} // namespace wse::tsne
