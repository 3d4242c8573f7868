#pragma once
// Maps of embeddings: PCA, t-SNE and UMAP to 2D or 3D, seeded (bit-for-bit reproducible on one
// machine, for any thread count), cancellable, reporting progress and intermediate layouts so a
// GUI can animate convergence, with trustworthiness/continuity against the input space, and the
// placing of new points (decoded or sampled models) into an existing map without recomputing it.
#include "analysis/mapquality.h"
#include "analysis/neighbors.h"
#include "jobs/progress.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wse {

enum class ProjectionMethod { Pca, Tsne, Umap };
std::string methodName(ProjectionMethod method);                // "pca", "tsne", "umap"
ProjectionMethod methodFromName(const std::string &name);       // throws UsageError

struct ProjectionSettings
{
    ProjectionMethod method = ProjectionMethod::Pca;
    int dims = 3;
    uint64_t seed = 0;
    DistanceMetric metric = DistanceMetric::Euclidean; // t-SNE / UMAP input space and quality ranks
    NeighborSearch search = NeighborSearch::Auto;
    // t-SNE (defaults of scikit-learn 1.2 with init = "pca", learning_rate = "auto")
    double perplexity = 30.0;
    double learningRate = 0.0; // 0: max(N / early_exaggeration / 4, 50)
    double earlyExaggeration = 12.0;
    int exaggerationIterations = 250;
    int iterations = 1000;
    double theta = 0.5;        // Barnes-Hut accuracy (0: exact forces, slow)
    // UMAP (defaults of umap-learn)
    int neighbors = 15;        // including the point itself, as umap-learn counts
    double minDist = 0.1;
    double spread = 1.0;
    int epochs = 0;            // 0: 500 up to 10,000 points, else 200
    double negativeRate = 5.0;
    std::string init = "spectral"; // spectral, pca or random (UMAP); t-SNE always starts from PCA
    int qualityK = 10;         // 0: skip trustworthiness/continuity

    // Sets one parameter by its umap-learn / scikit-learn name (n_neighbors, min_dist, perplexity,
    // early_exaggeration, learning_rate, n_iter, n_epochs, ...). Throws UsageError naming the key.
    void set(const std::string &key, const std::string &value);
    std::string toJson() const;
    static ProjectionSettings fromJson(const std::string &json); // throws FormatError
    std::string describe() const; // "UMAP 3D, n_neighbors 15, min_dist 0.1, seed 0"
};

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

Projection computeProjection(const float *data, int64_t points, int64_t dims, const ProjectionSettings &settings,
                             ProgressReporter *progress = nullptr, const LayoutCallback &layout = {});

// Coordinates (count x dims) for new rows in an existing map; `data` is the map's input.
// PCA: exact projection. UMAP: umap-learn's transform (fuzzy neighbours among the map's points,
// weighted-mean start, then optimisation against the fixed map). t-SNE: the perplexity-weighted
// mean of its nearest neighbours' positions (openTSNE's start for new points).
std::vector<float> placeNewPoints(const Projection &projection, const float *data, const float *newPoints, int64_t count);

} // namespace wse
