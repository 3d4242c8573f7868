#include "analysis/projection.h"

#include "analysis/pca.h"
#include "analysis/tsne.h"
#include "analysis/umap.h"
#include "common/error.h"
#include "jobs/progress.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace wse {

double estimatedSeconds(const ProjectionSettings &settings, int64_t points)
{
    // Power laws fitted to wse-bench-maps on two cores (128-d input, 3D): t-SNE 27.6 s at 10,000
    // points and 548 s at 100,000; UMAP 5.7 s and 68 s; PCA 0.2 s at 100,000.
    const double n = double(std::max<int64_t>(points, 1));
    switch (settings.method) {
    case ProjectionMethod::Tsne:
        return 1.74e-4 * std::pow(n, 1.30) * (settings.iterations / 1000.0) * (settings.dims == 3 ? 1.0 : 0.6);
    case ProjectionMethod::Umap: {
        const double automatic = points <= 10000 ? 500.0 : 200.0;
        return 3.0e-4 * std::pow(n, 1.07) * (settings.epochs > 0 ? settings.epochs / automatic : 1.0);
    }
    default:
        return n * 2e-6;
    }
}

std::string tsneTooLong(const ProjectionSettings &settings, int64_t points)
{
    constexpr double Hour = 3600;
    const double seconds = estimatedSeconds(settings, points);
    if (settings.method != ProjectionMethod::Tsne || seconds <= Hour)
        return {};
    ProjectionSettings umap = settings;
    umap.method = ProjectionMethod::Umap;
    umap.epochs = 0; // its automatic choice
    return "t-SNE of " + std::to_string(points) + " points takes about " + formatDuration(seconds) +
           " on this machine (Barnes-Hut t-SNE grows faster than the number of points); UMAP maps them in about " +
           formatDuration(estimatedSeconds(umap, points)) + " and keeps the same neighbourhoods";
}

Projection computeProjection(const float *data, int64_t points, int64_t dims, const ProjectionSettings &settings,
                             ProgressReporter *progress, const LayoutCallback &layout)
{
    if (points < 2 || dims < 1)
        throw UsageError("a map needs at least two points");
    if (settings.dims < 1 || settings.dims > 3)
        throw UsageError("maps have 1 to 3 dimensions");
    const auto start = std::chrono::steady_clock::now();
    const bool measureQuality = settings.qualityK > 0 && points > 3 * settings.qualityK / 2 + 1 && points > settings.qualityK;
    ProgressReporter layoutProgress = partOf(progress, 0.0, measureQuality ? 0.9 : 1.0);
    ProgressReporter qualityProgress = partOf(progress, 0.9, 1.0);
    Projection projection;
    projection.settings = settings;
    projection.points = points;
    projection.inputDims = dims;
    switch (settings.method) {
    case ProjectionMethod::Pca: {
        PcaResult pca = computePca(data, points, dims, settings.dims);
        projection.coordinates = std::move(pca.coordinates);
        projection.explainedRatio = pca.explainedRatio;
        projection.pcaMean = pca.mean;
        projection.pcaAxes = pca.axes;
        break;
    }
    case ProjectionMethod::Tsne:
        projection.coordinates = tsne::run(data, points, dims, settings, projection.notes, &layoutProgress, layout);
        break;
    case ProjectionMethod::Umap:
        projection.coordinates = umap::run(data, points, dims, settings, projection.notes, &layoutProgress, layout);
        break;
    }
    projection.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (measureQuality)
        projection.quality = measureMapQuality(data, points, dims, projection.coordinates.data(), settings.dims, settings.metric,
                                               settings.qualityK, 20000, settings.seed, &qualityProgress);
    return projection;
}

std::vector<float> placeNewPoints(const Projection &projection, const float *data, const float *newPoints, int64_t count)
{
    const ProjectionSettings &s = projection.settings;
    switch (s.method) {
    case ProjectionMethod::Tsne:
        return tsne::place(data, projection.points, projection.inputDims, projection.coordinates, s, newPoints, count);
    case ProjectionMethod::Umap:
        return umap::transform(data, projection.points, projection.inputDims, projection.coordinates, s, newPoints, count);
    default: {
        PcaResult pca;
        pca.components = s.dims;
        pca.dimensions = projection.inputDims;
        pca.mean = projection.pcaMean;
        pca.axes = projection.pcaAxes;
        return pca.project(newPoints, count);
    }
    }
}

} // namespace wse
