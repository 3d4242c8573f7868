#include "analysis/maprecord.h"

#include "common/error.h"
#include "common/jsonread.h"
#include "common/numbertext.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace wse {

std::string metricName(DistanceMetric metric)
{
    return metric == DistanceMetric::Cosine ? "cosine" : "euclidean";
}

DistanceMetric metricFromName(const std::string &name)
{
    if (name == "euclidean")
        return DistanceMetric::Euclidean;
    if (name == "cosine")
        return DistanceMetric::Cosine;
    throw UsageError("unknown metric '" + name + "' (use euclidean or cosine)");
}

std::string searchName(NeighborSearch search)
{
    switch (search) {
    case NeighborSearch::Exact: return "exact";
    case NeighborSearch::Approximate: return "approximate";
    default: return "auto";
    }
}

NeighborSearch searchFromName(const std::string &name)
{
    for (NeighborSearch s : {NeighborSearch::Auto, NeighborSearch::Exact, NeighborSearch::Approximate})
        if (searchName(s) == name)
            return s;
    throw UsageError("unknown neighbour search '" + name + "' (use auto, exact or approximate)");
}

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

double wholeNumber(const std::string &key, const std::string &value, double lo, double hi)
{
    const double v = number(key, value);
    if (v != std::floor(v) || !(v >= lo && v <= hi))
        throw UsageError("projection setting " + key + ": '" + value + "' is not a whole number from " +
                         plainNumber(lo) + " to " + plainNumber(hi));
    return v;
}

int integer(const std::string &key, const std::string &value)
{
    return int(wholeNumber(key, value, -2147483648.0, 2147483647.0));
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
    else if (key == "seed" || key == "random_state") seed = uint64_t(wholeNumber(key, value, 0, 18446744073709549568.0));
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
        const nlohmann::json j = jsonread::parseObject(json, "projection settings", "map's setting list");
        for (const auto &[key, value] : j.items())
            s.set(key, value.is_string() ? value.get<std::string>() : value.dump());
    } catch (const nlohmann::json::exception &error) {
        throw FormatError("projection settings", jsonread::describe(error));
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

std::string MapQuality::describe() const
{
    char text[160];
    std::snprintf(text, sizeof text, "trustworthiness %.3f, continuity %.3f (k = %d, %s %lld points)", trustworthiness,
                  continuity, k, sampled() ? ("sampled " + std::to_string(queries) + " of").c_str() : "all",
                  static_cast<long long>(points));
    return text;
}

} // namespace wse
