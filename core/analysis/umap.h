#pragma once
// UMAP (McInnes et al. 2018) as umap-learn computes it: smooth kNN distances, the fuzzy union of
// the neighbour graph, the a/b curve fit, and SGD with per-edge sampling and negative samples.
// The optimisation updates each point from its own edges against the previous epoch's layout
// (uwot's batch scheme), so the result does not depend on the number of threads.
#include "analysis/projection.h"

#include <utility>

namespace wse::umap {

// Edges grouped by head: edges of head h are [offsets[h], offsets[h + 1]).
struct EdgeList
{
    std::vector<int64_t> offsets;
    std::vector<int32_t> tails;
    std::vector<float> weights;
};

// Membership strengths of each point's neighbours (umap-learn smooth_knn_dist), one direction.
EdgeList membershipStrengths(const NeighborGraph &graph, int nNeighbors);
// Fuzzy union w + w' - w w' of both directions.
EdgeList fuzzyUnion(const EdgeList &directed, int64_t points);

// a and b of 1 / (1 + a d^(2b)) fitted to the min_dist / spread target curve.
std::pair<double, double> fitCurve(double spread, double minDist);

// Spectral start: eigenvectors 2..dims+1 of the graph's normalised Laplacian, per connected component.
std::vector<float> spectralLayout(const EdgeList &graph, int64_t points, int dims, uint64_t seed);

std::vector<float> run(const float *data, int64_t points, int64_t dims, const ProjectionSettings &settings,
                       std::vector<std::string> &notes, ProgressReporter *progress, const LayoutCallback &layout);

std::vector<float> transform(const float *data, int64_t points, int64_t dims, const std::vector<float> &layout,
                             const ProjectionSettings &settings, const float *newPoints, int64_t count);

} // namespace wse::umap
