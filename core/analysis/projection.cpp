#include "analysis/projection.h"

#include "analysis/pca.h"
#include "analysis/tsne.h"
#include "analysis/umap.h"
#include "common/error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace wse {

std::string methodName(ProjectionMethod method)
{
    switch (method) {
    case ProjectionMethod::Tsne: return "tsne";
    case ProjectionMethod::Umap: return "umap";
    default: return "pca";
    }
}

ProjectionMethod methodFromName(const std::string &name)
{
    for (ProjectionMethod m : {ProjectionMethod::Pca, ProjectionMethod::Tsne, ProjectionMethod::Umap})
        if (methodName(m) == name)
            return m;
    if (name == "t-sne")
        return ProjectionMethod::Tsne;
    throw UsageError("unknown projection method '" + name + "' (use pca, tsne or umap)");
}

namespace {

double number(const std::string &key, const std::string &value)
{
    try {
        size_t used = 0;
        const double v = std::stod(value, &used);
        if (used == value.size())
            return v;
    } catch (const std::exception &) {
    }
    throw UsageError("projection setting " + key + ": '" + value + "' is not a number");
}

int integer(const std::string &key, const std::string &value)
{
    const double v = number(key, value);
    if (v != double(int(v)))
        throw UsageError("projection setting " + key + ": '" + value + "' is not a whole number");
    return int(v);
}

void requireRange(const std::string &key, double value, double lo, double hi)
{
    if (!(value >= lo && value <= hi))
        throw UsageError("projection setting " + key + " must lie in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

} // namespace

void ProjectionSettings::set(const std::string &key, const std::string &value)
{
    if (key == "method") method = methodFromName(value);
    else if (key == "dims" || key == "n_components") { dims = integer(key, value); requireRange(key, dims, 1, 3); }
    else if (key == "seed" || key == "random_state") seed = uint64_t(number(key, value));
    else if (key == "metric") metric = metricFromName(value);
    else if (key == "neighbor_search" || key == "search") search = searchFromName(value);
    else if (key == "perplexity") { perplexity = number(key, value); requireRange(key, perplexity, 1, 1e4); }
    else if (key == "learning_rate") learningRate = value == "auto" ? 0.0 : number(key, value);
    else if (key == "early_exaggeration") earlyExaggeration = number(key, value);
    else if (key == "exaggeration_iter") exaggerationIterations = integer(key, value);
    else if (key == "n_iter" || key == "max_iter") { iterations = integer(key, value); requireRange(key, iterations, 1, 1e7); }
    else if (key == "angle" || key == "theta") { theta = number(key, value); requireRange(key, theta, 0, 1); }
    else if (key == "n_neighbors") { neighbors = integer(key, value); requireRange(key, neighbors, 2, 1e4); }
    else if (key == "min_dist") { minDist = number(key, value); requireRange(key, minDist, 0, 1e3); }
    else if (key == "spread") { spread = number(key, value); requireRange(key, spread, 1e-6, 1e3); }
    else if (key == "n_epochs") { epochs = integer(key, value); requireRange(key, epochs, 0, 1e7); }
    else if (key == "negative_sample_rate") { negativeRate = number(key, value); requireRange(key, negativeRate, 0, 1e3); }
    else if (key == "init") {
        if (value != "spectral" && value != "pca" && value != "random")
            throw UsageError("projection setting init: use spectral, pca or random");
        init = value;
    } else if (key == "quality_k") { qualityK = integer(key, value); requireRange(key, qualityK, 0, 1000); }
    else
        throw UsageError("unknown projection setting '" + key +
                         "' (known: dims, seed, metric, neighbor_search, perplexity, learning_rate, early_exaggeration, "
                         "exaggeration_iter, n_iter, angle, n_neighbors, min_dist, spread, n_epochs, "
                         "negative_sample_rate, init, quality_k)");
}

std::string ProjectionSettings::toJson() const
{
    nlohmann::ordered_json j;
    j["method"] = methodName(method);
    j["dims"] = dims;
    j["seed"] = seed;
    j["metric"] = metricName(metric);
    j["neighbor_search"] = searchName(search);
    if (method == ProjectionMethod::Tsne) {
        j["perplexity"] = perplexity;
        j["learning_rate"] = learningRate;
        j["early_exaggeration"] = earlyExaggeration;
        j["exaggeration_iter"] = exaggerationIterations;
        j["n_iter"] = iterations;
        j["angle"] = theta;
    } else if (method == ProjectionMethod::Umap) {
        j["n_neighbors"] = neighbors;
        j["min_dist"] = minDist;
        j["spread"] = spread;
        j["n_epochs"] = epochs;
        j["negative_sample_rate"] = negativeRate;
        j["init"] = init;
    }
    j["quality_k"] = qualityK;
    return j.dump();
}

ProjectionSettings ProjectionSettings::fromJson(const std::string &json)
{
    ProjectionSettings s;
    try {
        const nlohmann::json j = nlohmann::json::parse(json);
        for (const auto &[key, value] : j.items())
            s.set(key, value.is_string() ? value.get<std::string>() : value.dump());
    } catch (const nlohmann::json::exception &error) {
        throw FormatError("projection settings", error.what());
    } catch (const UsageError &error) {
        throw FormatError("projection settings", error.what());
    }
    return s;
}

std::string ProjectionSettings::describe() const
{
    char text[200];
    switch (method) {
    case ProjectionMethod::Tsne:
        std::snprintf(text, sizeof text, "t-SNE %dD, perplexity %g, %d iterations, seed %llu", dims, perplexity, iterations,
                      static_cast<unsigned long long>(seed));
        break;
    case ProjectionMethod::Umap:
        std::snprintf(text, sizeof text, "UMAP %dD, n_neighbors %d, min_dist %g, %s start, seed %llu", dims, neighbors, minDist,
                      init.c_str(), static_cast<unsigned long long>(seed));
        break;
    default:
        std::snprintf(text, sizeof text, "PCA %dD", dims);
    }
    return text;
}

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
