#include "analysis/weightmap.h"

#include "analysis/weightstatistics.h"
#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace wse {

std::string mapSourceName(MapSource source)
{
    switch (source) {
    case MapSource::Weights: return "weights";
    case MapSource::WeightStatistics: return "weight-statistics";
    case MapSource::SaneEmbeddings: return "sane";
    }
    return "weights";
}

MapSource mapSourceFromName(const std::string &name)
{
    if (name == "weights")
        return MapSource::Weights;
    if (name == "weight-statistics" || name == "stats")
        return MapSource::WeightStatistics;
    if (name == "sane")
        return MapSource::SaneEmbeddings;
    throw UsageError("unknown map '" + name + "' (use weights, weight-statistics or sane)");
}

std::string mapSourceDescription(MapSource source)
{
    switch (source) {
    case MapSource::Weights: return "Weights";
    case MapSource::WeightStatistics: return "Per-tensor weight statistics (log scale)";
    case MapSource::SaneEmbeddings: return "SANE embeddings";
    }
    return {};
}

std::vector<std::vector<int>> WeightMap::trajectories(const Zoo &zoo) const
{
    const Column &model = zoo.checkpoints.get(zoocol::Model);
    const Column &epoch = zoo.checkpoints.get(zoocol::Epoch);
    std::map<int64_t, std::vector<std::pair<double, int>>> byModel;
    for (size_t point = 0; point < checkpoints.size(); ++point)
        byModel[int64_t(model.number(checkpoints[point]))].push_back({epoch.number(checkpoints[point]), int(point)});
    std::vector<std::vector<int>> result;
    for (auto &[id, points] : byModel) {
        if (points.size() < 2)
            continue;
        std::sort(points.begin(), points.end());
        std::vector<int> line;
        for (const auto &entry : points)
            line.push_back(entry.second);
        result.push_back(std::move(line));
    }
    return result;
}

std::vector<float> WeightMap::inputRows(const Zoo &zoo, int64_t &dims) const
{
    if (!features.empty()) {
        dims = featureDims;
        return features;
    }
    const WeightMatrix &matrix = zoo.weights.at(size_t(architecture));
    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    dims = matrix.cols;
    std::vector<float> out;
    out.reserve(checkpoints.size() * size_t(dims));
    for (int64_t c : checkpoints) {
        const float *row = matrix.row(int64_t(rows.number(c)));
        out.insert(out.end(), row, row + dims);
    }
    return out;
}

std::vector<std::pair<int, double>> WeightMap::nearestPoints(const Zoo &zoo, int point, int k) const
{
    const int count = int(checkpoints.size());
    if (point < 0 || point >= count)
        return {};
    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    auto rowOf = [&](int p, int64_t &dims) -> const float * {
        if (!features.empty()) {
            dims = featureDims;
            return features.data() + int64_t(p) * featureDims;
        }
        const WeightMatrix &matrix = zoo.weights.at(size_t(architecture));
        dims = matrix.cols;
        return matrix.row(int64_t(rows.number(checkpoints[size_t(p)])));
    };
    int64_t dims = 0;
    const float *origin = rowOf(point, dims);
    std::vector<std::pair<double, int>> all;
    all.reserve(size_t(count));
    for (int p = 0; p < count; ++p) {
        if (p == point)
            continue;
        const float *row = rowOf(p, dims);
        double sum = 0;
        for (int64_t j = 0; j < dims; ++j)
            sum += double(row[j] - origin[j]) * double(row[j] - origin[j]);
        all.emplace_back(std::sqrt(sum), p);
    }
    const size_t keep = std::min(all.size(), size_t(std::max(k, 0)));
    std::partial_sort(all.begin(), all.begin() + int64_t(keep), all.end());
    std::vector<std::pair<int, double>> nearest;
    for (size_t i = 0; i < keep; ++i)
        nearest.emplace_back(all[i].second, all[i].first);
    return nearest;
}

WeightMap computeWeightMap(const Zoo &zoo, MapSource source, int architecture, int dimensions)
{
    if (source == MapSource::SaneEmbeddings)
        throw UsageError("SANE maps are made from embeddings (computeEmbeddingMap)");
    if (architecture < 0 || size_t(architecture) >= zoo.architectures.size())
        throw UsageError("the zoo has no architecture #" + std::to_string(architecture));
    const Architecture &arch = zoo.architectures[size_t(architecture)];
    const WeightMatrix &matrix = zoo.weights[size_t(architecture)];
    if (int64_t(matrix.values.size()) != matrix.rows * matrix.cols)
        throw UsageError("the zoo's weights are not loaded");

    WeightMap map;
    map.source = source;
    map.architecture = architecture;
    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    const int64_t cols = source == MapSource::Weights ? matrix.cols : int64_t(arch.tensors.size()) * StatisticsPerTensor;
    std::vector<float> features;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
        if (zoo.checkpointArchitecture(c) != architecture)
            continue;
        map.checkpoints.push_back(c);
        const float *row = matrix.row(int64_t(rows.number(c)));
        if (source == MapSource::Weights) {
            features.insert(features.end(), row, row + matrix.cols);
        } else {
            const std::vector<float> statistics = weightStatistics(arch, row);
            features.insert(features.end(), statistics.begin(), statistics.end());
        }
    }
    if (map.checkpoints.empty())
        throw UsageError("architecture '" + arch.name + "' has no checkpoints");
    const auto count = int64_t(map.checkpoints.size());
    if (source == MapSource::WeightStatistics) {
        // Statistics span orders of magnitude across inits and optimizers (U(0,1) + SGD blows
        // weights up to ~1e3): compare them on a signed log scale so such models do not squash
        // every other model into one spot.
        for (float &value : features)
            value = std::copysign(std::log1p(std::fabs(value)), value);
        standardiseColumns(features, count, cols);
    }
    map.pca = computePca(features.data(), count, cols, dimensions);
    if (source == MapSource::WeightStatistics) {
        map.features = std::move(features);
        map.featureDims = cols;
    }
    return map;
}

} // namespace wse
