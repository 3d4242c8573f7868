#pragma once
// Maps of embeddings: PCA, t-SNE and UMAP to 2D or 3D, seeded (bit-for-bit reproducible on one
// machine, for any thread count), cancellable, reporting progress and intermediate layouts so a
// GUI can animate convergence, with trustworthiness/continuity against the input space, and the
// placing of new points (decoded or sampled models) into an existing map without recomputing it.
#include "analysis/mapquality.h"
#include "analysis/neighbors.h"
#include "analysis/maprecord.h"
#include "jobs/progress.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wse {

// Called with the current layout now and then while an iterative method runs (not for PCA).
using LayoutCallback = std::function<void(const std::vector<float> &coordinates, int step, int steps)>;

struct Projection
{
    ProjectionSettings settings;
    int64_t points = 0;
    int64_t inputDims = 0;
    std::vector<float> coordinates;      // points x settings.dims
    std::vector<double> explainedRatio;  // PCA: per component
    std::vector<double> pcaMean, pcaAxes; // PCA: places new points exactly
    MapQuality quality;                  // quality.queries == 0 when not measured
    double seconds = 0.0;
    std::vector<std::string> notes;      // e.g. "neighbours approximate (HNSW)"
};

// Rough run time on this machine class, so a caller can warn before a long job (never truncate).
double estimatedSeconds(const ProjectionSettings &settings, int64_t points);

// A t-SNE longer than an hour here: why to take UMAP instead (both estimates: Barnes-Hut t-SNE
// grows as N^1.3 with a large constant, UMAP about linearly), or "" when the layout is affordable
// or not a t-SNE. Callers refuse or ask before starting such a run.
std::string tsneTooLong(const ProjectionSettings &settings, int64_t points);

Projection computeProjection(const float *data, int64_t points, int64_t dims, const ProjectionSettings &settings,
                             ProgressReporter *progress = nullptr, const LayoutCallback &layout = {});

// Coordinates (count x dims) for new rows in an existing map; `data` is the map's input.
// PCA: exact projection. UMAP: umap-learn's transform (fuzzy neighbours among the map's points,
// weighted-mean start, then optimisation against the fixed map). t-SNE: the perplexity-weighted
// mean of its nearest neighbours' positions (openTSNE's start for new points).
std::vector<float> placeNewPoints(const Projection &projection, const float *data, const float *newPoints, int64_t count);

} // namespace wse
