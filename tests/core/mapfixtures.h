#pragma once
// Points for the map tests: Gaussian clusters far apart, and quick projection settings.
#include "analysis/projection.h"

#include <cstdint>
#include <random>
#include <vector>

namespace wse::test {

struct Clusters
{
    int64_t points = 0;
    int64_t dims = 0;
    std::vector<float> values;
    std::vector<int> labels;
};

// Gaussian clusters whose centres are far apart compared with their spread.
inline Clusters makeClusters(int clusters, int perCluster, int dims, uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<float> normal;
    Clusters c;
    c.points = int64_t(clusters) * perCluster;
    c.dims = dims;
    std::vector<float> centres(size_t(clusters * dims));
    for (float &v : centres)
        v = 6.0f * normal(random);
    for (int k = 0; k < clusters; ++k)
        for (int i = 0; i < perCluster; ++i) {
            for (int d = 0; d < dims; ++d)
                c.values.push_back(centres[size_t(k * dims + d)] + normal(random));
            c.labels.push_back(k);
        }
    return c;
}

inline ProjectionSettings quickSettings(ProjectionMethod method, int dims)
{
    ProjectionSettings s;
    s.method = method;
    s.dims = dims;
    s.seed = 7;
    s.iterations = 400;       // t-SNE: enough to separate clusters, quick in a test
    s.exaggerationIterations = 100;
    s.epochs = 150;           // UMAP
    return s;
}

} // namespace wse::test
