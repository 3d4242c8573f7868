#pragma once
// Barnes-Hut t-SNE (van der Maaten 2014) in 2D or 3D with scikit-learn's schedule: perplexity-
// calibrated affinities on the 3 x perplexity nearest neighbours, PCA start scaled to std 1e-4,
// early exaggeration with momentum 0.5 for 250 iterations, then momentum 0.8, delta-bar-delta
// gains. Forces are summed per point over a read-only space-partitioning tree, so the result does
// not depend on the number of threads.
#include "analysis/projection.h"

namespace wse::tsne {

// Symmetric joint probabilities P (rows sum over the whole matrix to 1), as CSR by point.
struct Affinities
{
    std::vector<int64_t> offsets;
    std::vector<int32_t> columns;
    std::vector<double> values;
};

// Conditional probabilities p(j|i) over each point's neighbours with entropy log(perplexity).
std::vector<double> conditionalProbabilities(const NeighborGraph &graph, double perplexity);
Affinities jointProbabilities(const NeighborGraph &graph, double perplexity);

std::vector<float> run(const float *data, int64_t points, int64_t dims, const ProjectionSettings &settings,
                       std::vector<std::string> &notes, ProgressReporter *progress, const LayoutCallback &layout);

std::vector<float> place(const float *data, int64_t points, int64_t dims, const std::vector<float> &layout,
                         const ProjectionSettings &settings, const float *newPoints, int64_t count);

} // namespace wse::tsne
