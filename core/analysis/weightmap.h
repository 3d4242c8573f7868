#pragma once
// The first maps of a zoo, before any encoder: PCA of the flattened weights of every checkpoint
// of one architecture, or PCA of their standardised per-tensor weight statistics.
#include "analysis/pca.h"
#include "zoo/zoo.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace wse {

class ProgressReporter;

enum class MapSource {
    Weights,          // raw flattened weights: faithful, but dominated by initialisation scale and seed
    WeightStatistics, // mean, std, quintiles per tensor, z-scored: permutation invariant
    SaneEmbeddings,   // a SANE encoder's model embeddings (core/sane/embeddingmap.h)
};

std::string mapSourceName(MapSource source);       // "weights", "weight-statistics", "sane"
MapSource mapSourceFromName(const std::string &name); // throws UsageError
std::string mapSourceDescription(MapSource source); // for titles and status bars

struct WeightMap
{
    MapSource source = MapSource::Weights;
    int architecture = 0;
    std::vector<int64_t> checkpoints; // zoo checkpoint index of each map point
    PcaResult pca;                    // coordinates: one row per map point
    // The map's input, one row per point, for other layouts (t-SNE, UMAP) and quality figures.
    // Kept for weight statistics and SANE embeddings; empty for raw weights (see inputRows()).
    std::vector<float> features;
    int64_t featureDims = 0;

    // Whether the input rows are in memory: features, or raw weights the zoo holds (not left in its file).
    bool inputInMemory(const Zoo &zoo) const;
    // The input rows: `features`, or the raw weights gathered from the zoo (a temporary copy;
    // throws UsageError when the zoo's weights were left in its file).
    std::vector<float> inputRows(const Zoo &zoo, int64_t &dims) const;
    // The k map points nearest to `point` in the map's input space (Euclidean), nearest first,
    // with their distances; reads raw weights in place (no copy; none when they were left in the file).
    std::vector<std::pair<int, double>> nearestPoints(const Zoo &zoo, int point, int k) const;

    // Map points of each model in epoch order (for trajectories); models with one point are left out.
    std::vector<std::vector<int>> trajectories(const Zoo &zoo) const;
};

// Needs the zoo's weights loaded. Throws UsageError if the architecture has no checkpoints.
WeightMap computeWeightMap(const Zoo &zoo, MapSource source = MapSource::Weights, int architecture = 0,
                           int dimensions = 3);

// Both weight maps of a zoo whose weights stay in its file (too large for memory): two passes over
// the weight matrix in blocks of about 64 MB (statistics and the PCA's scatter matrix, then every
// checkpoint placed on the axes). The same maps as computeWeightMap gives, to float64 rounding.
std::map<MapSource, WeightMap> computeWeightMapsFromFile(const Zoo &zoo, const std::string &zooPath, int architecture = 0,
                                                         int dimensions = 3, ProgressReporter *progress = nullptr);

} // namespace wse
