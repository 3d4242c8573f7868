#include "analysis/umap.h"

#include "analysis/pca.h"
#include "common/error.h"
#include "common/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace wse::umap {

namespace {

// splitmix64: independent, reproducible random streams per (seed, epoch, point).
uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

struct Stream
{
    uint64_t state;
    uint64_t next() { return state = mix(state); }
    int64_t below(int64_t n) { return int64_t(next() % uint64_t(n)); }
};

// Per point: rho (distance to the nearest neighbour) and sigma such that the memberships sum to
// log2(nNeighbors), umap-learn's smooth_knn_dist with local_connectivity = 1.
std::pair<double, double> smoothDistances(const float *distances, int k, int nNeighbors, double meanDistance)
{
    const double target = std::log2(double(nNeighbors));
    double rho = 0.0;
    for (int j = 0; j < k; ++j)
        if (distances[j] > 0) {
            rho = distances[j];
            break;
        }
    double lo = 0.0, hi = std::numeric_limits<double>::infinity(), mid = 1.0;
    for (int step = 0; step < 64; ++step) {
        double sum = 0.0;
        for (int j = 0; j < k; ++j) {
            const double d = distances[j] - rho;
            sum += d > 0 ? std::exp(-d / mid) : 1.0;
        }
        if (std::fabs(sum - target) < 1e-5)
            break;
        if (sum > target) {
            hi = mid;
            mid = (lo + hi) / 2;
        } else {
            lo = mid;
            mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2;
        }
    }
    double ownMean = 0.0;
    for (int j = 0; j < k; ++j)
        ownMean += distances[j];
    ownMean /= std::max(k, 1);
    mid = std::max(mid, 1e-3 * (rho > 0 ? ownMean : meanDistance));
    return {rho, mid};
}

float clip(float value)
{
    return std::min(4.0f, std::max(-4.0f, value));
}

struct Schedule
{
    std::vector<float> epochsPerSample, nextSample, epochsPerNegative, nextNegative;
};

// Edges below max / epochs would never be sampled (umap-learn drops them); the others are
// sampled every max / w epochs.
Schedule makeSchedule(const EdgeList &edges, int epochs, double negativeRate)
{
    const float maximum = edges.weights.empty() ? 1.0f : *std::max_element(edges.weights.begin(), edges.weights.end());
    Schedule s;
    const size_t count = edges.weights.size();
    s.epochsPerSample.resize(count);
    for (size_t e = 0; e < count; ++e)
        s.epochsPerSample[e] = edges.weights[e] < maximum / float(epochs) ? -1.0f : maximum / edges.weights[e];
    s.nextSample = s.epochsPerSample;
    s.epochsPerNegative.resize(count);
    for (size_t e = 0; e < count; ++e)
        s.epochsPerNegative[e] = s.epochsPerSample[e] / float(negativeRate);
    s.nextNegative = s.epochsPerNegative;
    return s;
}

struct Optimizer
{
    const EdgeList &edges;
    Schedule schedule;
    int dims;
    float a, b;
    uint64_t seed;

    // One epoch: each moving point follows its own edges against `fixed` (the previous epoch's
    // layout, or the map new points are placed into) and repels random points of `fixed`.
    void epoch(int e, int epochs, std::vector<float> &moving, const std::vector<float> &fixed, int64_t fixedCount,
               bool sameSet)
    {
        const float alpha = 1.0f - float(e) / float(epochs);
        const int64_t heads = int64_t(edges.offsets.size()) - 1;
        parallelFor(heads, [&](int64_t begin, int64_t end) {
            float grad[3];
            for (int64_t h = begin; h < end; ++h) {
                Stream random{mix(seed ^ mix(uint64_t(e) * 0x100000001b3ull + uint64_t(h)))};
                float *y = moving.data() + h * dims;
                for (int64_t edge = edges.offsets[size_t(h)]; edge < edges.offsets[size_t(h + 1)]; ++edge) {
                    float &next = schedule.nextSample[size_t(edge)];
                    const float every = schedule.epochsPerSample[size_t(edge)];
                    if (every <= 0 || next > float(e))
                        continue;
                    const float *t = fixed.data() + int64_t(edges.tails[size_t(edge)]) * dims;
                    float d2 = 0;
                    for (int c = 0; c < dims; ++c)
                        d2 += (y[c] - t[c]) * (y[c] - t[c]);
                    if (d2 > 0) {
                        const float powered = std::pow(d2, b); // d2^(b-1) = powered / d2: one pow, not two
                        const float coefficient = -2.0f * a * b * (powered / d2) / (a * powered + 1.0f);
                        for (int c = 0; c < dims; ++c)
                            y[c] += clip(coefficient * (y[c] - t[c])) * alpha;
                    }
                    next += every;
                    float &nextNegative = schedule.nextNegative[size_t(edge)];
                    const float everyNegative = schedule.epochsPerNegative[size_t(edge)];
                    const int negatives = int((float(e) - nextNegative) / everyNegative);
                    for (int n = 0; n < negatives; ++n) {
                        const int64_t other = random.below(fixedCount);
                        if (sameSet && other == h)
                            continue;
                        const float *o = fixed.data() + other * dims;
                        d2 = 0;
                        for (int c = 0; c < dims; ++c)
                            d2 += (y[c] - o[c]) * (y[c] - o[c]);
                        if (d2 > 0) {
                            const float coefficient = 2.0f * b / ((0.001f + d2) * (a * std::pow(d2, b) + 1.0f));
                            for (int c = 0; c < dims; ++c)
                                grad[c] = clip(coefficient * (y[c] - o[c]));
                        } else {
                            for (int c = 0; c < dims; ++c)
                                grad[c] = 4.0f;
                        }
                        for (int c = 0; c < dims; ++c)
                            y[c] += grad[c] * alpha;
                    }
                    nextNegative += float(negatives) * everyNegative;
                }
            }
        }, 256);
    }
};

// umap-learn's start: scale to [0, 10] per axis.
void rescale(std::vector<float> &layout, int64_t points, int dims)
{
    for (int c = 0; c < dims; ++c) {
        float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
        for (int64_t i = 0; i < points; ++i) {
            lo = std::min(lo, layout[size_t(i * dims + c)]);
            hi = std::max(hi, layout[size_t(i * dims + c)]);
        }
        const float range = hi > lo ? hi - lo : 1.0f;
        for (int64_t i = 0; i < points; ++i)
            layout[size_t(i * dims + c)] = 10.0f * (layout[size_t(i * dims + c)] - lo) / range;
    }
}

// Scaled so the largest coordinate is 10, plus N(0, 1e-4) noise (umap-learn noisy_scale_coords).
void noisyScale(std::vector<float> &layout, uint64_t seed)
{
    float largest = 0;
    for (float v : layout)
        largest = std::max(largest, std::fabs(v));
    const float expansion = largest > 0 ? 10.0f / largest : 1.0f;
    std::mt19937_64 random(seed);
    std::normal_distribution<float> noise(0.0f, 1e-4f);
    for (float &v : layout)
        v = v * expansion + noise(random);
}

} // namespace

EdgeList membershipStrengths(const NeighborGraph &graph, int nNeighbors)
{
    double meanDistance = 0.0;
    for (float d : graph.distances)
        meanDistance += d;
    meanDistance /= double(std::max<size_t>(graph.distances.size(), 1));
    EdgeList edges;
    edges.offsets.resize(size_t(graph.points + 1));
    edges.tails = graph.indices;
    edges.weights.resize(graph.distances.size());
    for (int64_t i = 0; i <= graph.points; ++i)
        edges.offsets[size_t(i)] = i * graph.k;
    parallelFor(graph.points, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            const float *d = graph.distancesOf(i);
            const auto [rho, sigma] = smoothDistances(d, graph.k, nNeighbors, meanDistance);
            for (int j = 0; j < graph.k; ++j)
                edges.weights[size_t(i * graph.k + j)] = d[j] - rho <= 0 ? 1.0f : float(std::exp(-(d[j] - rho) / sigma));
        }
    });
    return edges;
}

EdgeList fuzzyUnion(const EdgeList &directed, int64_t points)
{
    struct Entry { int32_t head, tail; float weight; };
    std::vector<Entry> entries;
    entries.reserve(directed.tails.size() * 2);
    for (int64_t h = 0; h < points; ++h)
        for (int64_t e = directed.offsets[size_t(h)]; e < directed.offsets[size_t(h + 1)]; ++e)
            if (directed.tails[size_t(e)] != h && directed.weights[size_t(e)] > 0) {
                entries.push_back({int32_t(h), directed.tails[size_t(e)], directed.weights[size_t(e)]});
                entries.push_back({directed.tails[size_t(e)], int32_t(h), directed.weights[size_t(e)]});
            }
    std::sort(entries.begin(), entries.end(), [](const Entry &x, const Entry &y) {
        return x.head != y.head ? x.head < y.head : x.tail != y.tail ? x.tail < y.tail : x.weight < y.weight;
    });
    EdgeList graph;
    graph.offsets.assign(size_t(points + 1), 0);
    for (size_t i = 0; i < entries.size();) {
        // Two entries for a pair: one from each direction (w + w' - w w'); one: the other is 0.
        const bool pair = i + 1 < entries.size() && entries[i + 1].head == entries[i].head && entries[i + 1].tail == entries[i].tail;
        const float w = pair ? entries[i].weight + entries[i + 1].weight - entries[i].weight * entries[i + 1].weight
                             : entries[i].weight;
        graph.tails.push_back(entries[i].tail);
        graph.weights.push_back(w);
        ++graph.offsets[size_t(entries[i].head + 1)];
        i += pair ? 2 : 1;
    }
    std::partial_sum(graph.offsets.begin(), graph.offsets.end(), graph.offsets.begin());
    return graph;
}

std::pair<double, double> fitCurve(double spread, double minDist)
{
    std::vector<double> xs(300), ys(300);
    for (int i = 0; i < 300; ++i) {
        xs[size_t(i)] = 3.0 * spread * i / 299.0;
        ys[size_t(i)] = xs[size_t(i)] < minDist ? 1.0 : std::exp(-(xs[size_t(i)] - minDist) / spread);
    }
    auto loss = [&](double a, double b) {
        double sum = 0;
        for (size_t i = 0; i < xs.size(); ++i) {
            const double r = 1.0 / (1.0 + a * std::pow(xs[i], 2 * b)) - ys[i];
            sum += r * r;
        }
        return sum;
    };
    // Levenberg-Marquardt on the two parameters (scipy's curve_fit does the same).
    double a = 1.0, b = 1.0, lambda = 1e-3, current = loss(a, b);
    for (int iteration = 0; iteration < 500; ++iteration) {
        double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
        for (size_t i = 0; i < xs.size(); ++i) {
            if (xs[i] <= 0)
                continue;
            const double p = std::pow(xs[i], 2 * b), denominator = 1.0 + a * p;
            const double r = 1.0 / denominator - ys[i];
            const double da = -p / (denominator * denominator);
            const double db = -a * p * 2.0 * std::log(xs[i]) / (denominator * denominator);
            jaa += da * da;
            jab += da * db;
            jbb += db * db;
            ga += da * r;
            gb += db * r;
        }
        const double maa = jaa * (1 + lambda), mbb = jbb * (1 + lambda), det = maa * mbb - jab * jab;
        if (std::fabs(det) < 1e-300)
            break;
        const double stepA = -(mbb * ga - jab * gb) / det, stepB = -(maa * gb - jab * ga) / det;
        const double candidate = loss(a + stepA, b + stepB);
        if (candidate < current) {
            a += stepA;
            b += stepB;
            lambda /= 10;
            if (current - candidate < 1e-14)
                break;
            current = candidate;
        } else {
            lambda *= 10;
            if (lambda > 1e12)
                break;
        }
    }
    return {a, b};
}

std::vector<float> spectralLayout(const EdgeList &graph, int64_t points, int dims, uint64_t seed)
{
    // Subspace iteration on (I + D^-1/2 W D^-1/2) / 2, whose top eigenvectors are the bottom ones
    // of the normalised Laplacian; the trivial one (D^1/2 1) is projected out each step.
    std::vector<double> degree(size_t(points), 0.0);
    for (int64_t h = 0; h < points; ++h)
        for (int64_t e = graph.offsets[size_t(h)]; e < graph.offsets[size_t(h + 1)]; ++e)
            degree[size_t(h)] += graph.weights[size_t(e)];
    std::vector<double> trivial(static_cast<size_t>(points));
    double trivialNorm = 0;
    for (int64_t i = 0; i < points; ++i)
        trivialNorm += (trivial[size_t(i)] = std::sqrt(degree[size_t(i)]));
    trivialNorm = 0;
    for (double v : trivial)
        trivialNorm += v * v;
    trivialNorm = std::sqrt(std::max(trivialNorm, 1e-300));
    for (double &v : trivial)
        v /= trivialNorm;

    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal;
    std::vector<std::vector<double>> block(static_cast<size_t>(dims), std::vector<double>(static_cast<size_t>(points)));
    for (auto &v : block)
        for (double &x : v)
            x = normal(random);
    auto orthonormalise = [&] {
        for (size_t c = 0; c < block.size(); ++c) {
            auto removeComponent = [&](const std::vector<double> &u) {
                double dot = 0;
                for (int64_t i = 0; i < points; ++i)
                    dot += block[c][size_t(i)] * u[size_t(i)];
                for (int64_t i = 0; i < points; ++i)
                    block[c][size_t(i)] -= dot * u[size_t(i)];
            };
            removeComponent(trivial);
            for (size_t p = 0; p < c; ++p)
                removeComponent(block[p]);
            double norm = 0;
            for (double x : block[c])
                norm += x * x;
            norm = std::sqrt(std::max(norm, 1e-300));
            for (double &x : block[c])
                x /= norm;
        }
    };
    orthonormalise();
    std::vector<double> next(static_cast<size_t>(points));
    const int iterations = int(std::min<int64_t>(1000, std::max<int64_t>(200, 2e8 / std::max<size_t>(graph.tails.size() * size_t(dims), 1))));
    for (int iteration = 0; iteration < iterations; ++iteration) {
        for (auto &v : block) {
            parallelFor(points, [&](int64_t begin, int64_t end) {
                for (int64_t h = begin; h < end; ++h) {
                    double sum = 0;
                    const double dh = degree[size_t(h)] > 0 ? 1.0 / std::sqrt(degree[size_t(h)]) : 0.0;
                    for (int64_t e = graph.offsets[size_t(h)]; e < graph.offsets[size_t(h + 1)]; ++e) {
                        const int64_t t = graph.tails[size_t(e)];
                        const double dt = degree[size_t(t)] > 0 ? 1.0 / std::sqrt(degree[size_t(t)]) : 0.0;
                        sum += graph.weights[size_t(e)] * dh * dt * v[size_t(t)];
                    }
                    next[size_t(h)] = 0.5 * (v[size_t(h)] + sum);
                }
            }, 1024);
            v.swap(next);
        }
        orthonormalise();
    }
    std::vector<float> layout(size_t(points * dims));
    for (int64_t i = 0; i < points; ++i)
        for (int c = 0; c < dims; ++c)
            layout[size_t(i * dims + c)] = float(block[size_t(c)][size_t(i)]);
    return layout;
}

std::vector<float> run(const float *data, int64_t points, int64_t dims, const ProjectionSettings &settings,
                       std::vector<std::string> &notes, ProgressReporter *progress, const LayoutCallback &layoutCallback)
{
    const int nNeighbors = std::min<int>(settings.neighbors, int(points));
    if (nNeighbors < 2)
        throw UsageError("UMAP needs n_neighbors >= 2 and at least two points");
    NeighborOptions options{settings.metric, settings.search, 30000, settings.seed};
    ProgressReporter neighbours = partOf(progress, 0.0, 0.1);
    const NeighborGraph knn = nearestNeighbors(data, points, dims, nNeighbors - 1, options, &neighbours);
    if (!knn.exact)
        notes.push_back("neighbours approximate (HNSW)");
    if (progress)
        progress->report(0.1, "UMAP graph", std::to_string(points) + " points, " + std::to_string(nNeighbors) + " neighbours");
    const EdgeList graph = fuzzyUnion(membershipStrengths(knn, nNeighbors), points);
    const int epochs = settings.epochs > 0 ? settings.epochs : points <= 10000 ? 500 : 200;

    std::vector<float> layout;
    const int d = settings.dims;
    if (settings.init == "random") {
        std::mt19937_64 random(settings.seed);
        std::uniform_real_distribution<float> uniform(-10.0f, 10.0f);
        layout.resize(size_t(points * d));
        for (float &v : layout)
            v = uniform(random);
    } else {
        layout = settings.init == "pca" ? computePca(data, points, dims, d).coordinates : spectralLayout(graph, points, d, settings.seed);
        noisyScale(layout, settings.seed);
    }
    rescale(layout, points, d);

    const auto [a, b] = fitCurve(settings.spread, settings.minDist);
    Optimizer optimizer{graph, makeSchedule(graph, epochs, settings.negativeRate), d, float(a), float(b), settings.seed};
    std::vector<float> previous;
    for (int e = 0; e < epochs; ++e) {
        previous = layout;
        optimizer.epoch(e, epochs, layout, previous, points, true);
        if (progress)
            progress->report(0.1 + 0.9 * double(e + 1) / epochs, "UMAP", "epoch " + std::to_string(e + 1) + " of " + std::to_string(epochs));
        if (layoutCallback && ((e + 1) % 10 == 0 || e + 1 == epochs))
            layoutCallback(layout, e + 1, epochs);
    }
    return layout;
}

std::vector<float> transform(const float *data, int64_t points, int64_t dims, const std::vector<float> &layout,
                             const ProjectionSettings &settings, const float *newPoints, int64_t count)
{
    const int d = settings.dims;
    const int nNeighbors = std::min<int>(settings.neighbors, int(points));
    const NeighborGraph knn = queryNeighbors(data, points, dims, newPoints, count, nNeighbors, settings.metric);
    EdgeList edges = membershipStrengths(knn, nNeighbors);
    std::vector<float> placed(size_t(count * d), 0.0f);
    for (int64_t i = 0; i < count; ++i) {
        double total = 0;
        for (int64_t e = edges.offsets[size_t(i)]; e < edges.offsets[size_t(i + 1)]; ++e)
            total += edges.weights[size_t(e)];
        for (int64_t e = edges.offsets[size_t(i)]; e < edges.offsets[size_t(i + 1)]; ++e)
            for (int c = 0; c < d; ++c)
                placed[size_t(i * d + c)] += float(edges.weights[size_t(e)] / std::max(total, 1e-300)) *
                                             layout[size_t(int64_t(edges.tails[size_t(e)]) * d + c)];
    }
    const int epochs = settings.epochs > 0 ? std::max(1, settings.epochs / 3) : points <= 10000 ? 100 : 30;
    const auto [a, b] = fitCurve(settings.spread, settings.minDist);
    Optimizer optimizer{edges, makeSchedule(edges, epochs, settings.negativeRate), d, float(a), float(b), settings.seed};
    for (int e = 0; e < epochs; ++e)
        optimizer.epoch(e, epochs, placed, layout, points, false);
    return placed;
}

} // namespace wse::umap
