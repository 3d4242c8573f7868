#include "analysis/weightmap.h"

#include "analysis/weightstatistics.h"
#include "common/error.h"
#include "common/parallel.h"
#include "jobs/progress.h"
#include "zoo/zoostore.h"

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
    // A model derived from a checkpoint of another (a pruned twin: its "source_checkpoint") starts
    // its line at that checkpoint, so it is drawn linked to its source.
    std::map<std::string, int> pointOf;
    const Column *source = zoo.models.find("source_checkpoint");
    if (source && !source->isText())
        source = nullptr;
    if (source)
        for (size_t point = 0; point < checkpoints.size(); ++point)
            pointOf[zoo.checkpointName(checkpoints[point])] = int(point);
    std::vector<std::vector<int>> result;
    for (auto &[id, points] : byModel) {
        std::sort(points.begin(), points.end());
        std::vector<int> line;
        if (source && id >= 0 && id < source->size())
            if (const auto it = pointOf.find(source->text(id)); it != pointOf.end())
                line.push_back(it->second);
        for (const auto &entry : points)
            line.push_back(entry.second);
        if (line.size() >= 2)
            result.push_back(std::move(line));
    }
    return result;
}

bool WeightMap::inputInMemory(const Zoo &zoo) const
{
    const WeightMatrix &matrix = zoo.weights.at(size_t(architecture));
    return !features.empty() || int64_t(matrix.values.size()) == matrix.rows * matrix.cols;
}

std::vector<float> WeightMap::inputRows(const Zoo &zoo, int64_t &dims) const
{
    if (!features.empty()) {
        dims = featureDims;
        return features;
    }
    const WeightMatrix &matrix = zoo.weights.at(size_t(architecture));
    if (!inputInMemory(zoo))
        throw UsageError("the zoo's weights stay in its file (too large to hold in memory): lay its raw weights out "
                         "with wse project --zoo, or map its weight statistics or SANE embeddings");
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
    const WeightMatrix &matrix = zoo.weights.at(size_t(architecture));
    if (point < 0 || point >= count || !inputInMemory(zoo))
        return {}; // raw weights left in the file: a pass over all of them per click is too slow
    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    auto rowOf = [&](int p, int64_t &dims) -> const float * {
        if (!features.empty()) {
            dims = featureDims;
            return features.data() + int64_t(p) * featureDims;
        }
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

namespace {

// The zoo's checkpoints of one architecture, in checkpoint order. Throws UsageError if none.
std::vector<int64_t> checkpointsOf(const Zoo &zoo, int architecture)
{
    if (architecture < 0 || size_t(architecture) >= zoo.architectures.size())
        throw UsageError("the zoo has no architecture #" + std::to_string(architecture));
    std::vector<int64_t> checkpoints;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
        if (zoo.checkpointArchitecture(c) == architecture)
            checkpoints.push_back(c);
    if (checkpoints.empty())
        throw UsageError("architecture '" + zoo.architectures[size_t(architecture)].name + "' has no checkpoints");
    return checkpoints;
}

// Statistics span orders of magnitude across inits and optimizers (U(0,1) + SGD blows weights up
// to ~1e3): compared on a signed log scale, standardised, so such models do not squash every
// other model into one spot.
void finishStatisticsMap(WeightMap &map, std::vector<float> features, int64_t cols, int dimensions)
{
    for (float &value : features)
        value = std::copysign(std::log1p(std::fabs(value)), value);
    const auto count = int64_t(map.checkpoints.size());
    standardiseColumns(features, count, cols);
    map.pca = computePca(features.data(), count, cols, dimensions);
    map.features = std::move(features);
    map.featureDims = cols;
}

} // namespace

WeightMap computeWeightMap(const Zoo &zoo, MapSource source, int architecture, int dimensions)
{
    if (source == MapSource::SaneEmbeddings)
        throw UsageError("SANE maps are made from embeddings (computeEmbeddingMap)");
    WeightMap map;
    map.source = source;
    map.architecture = architecture;
    map.checkpoints = checkpointsOf(zoo, architecture);
    const Architecture &arch = zoo.architectures[size_t(architecture)];
    const WeightMatrix &matrix = zoo.weights[size_t(architecture)];
    if (int64_t(matrix.values.size()) != matrix.rows * matrix.cols)
        throw UsageError("the zoo's weights are not loaded");

    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    const int64_t cols = source == MapSource::Weights ? matrix.cols : int64_t(arch.tensors.size()) * StatisticsPerTensor;
    std::vector<float> features;
    features.reserve(map.checkpoints.size() * size_t(cols));
    for (int64_t c : map.checkpoints) {
        const float *row = matrix.row(int64_t(rows.number(c)));
        if (source == MapSource::Weights) {
            features.insert(features.end(), row, row + matrix.cols);
        } else {
            const std::vector<float> statistics = weightStatistics(arch, row);
            features.insert(features.end(), statistics.begin(), statistics.end());
        }
    }
    if (source == MapSource::WeightStatistics)
        finishStatisticsMap(map, std::move(features), cols, dimensions);
    else
        map.pca = computePca(features.data(), int64_t(map.checkpoints.size()), cols, dimensions);
    return map;
}

std::map<MapSource, WeightMap> computeWeightMapsFromFile(const Zoo &zoo, const std::string &zooPath, int architecture,
                                                         int dimensions, ProgressReporter *progress)
{
    WeightMap weights, statistics;
    weights.architecture = statistics.architecture = architecture;
    weights.source = MapSource::Weights;
    statistics.source = MapSource::WeightStatistics;
    weights.checkpoints = statistics.checkpoints = checkpointsOf(zoo, architecture);
    const Architecture &arch = zoo.architectures[size_t(architecture)];
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    const int64_t cols = arch.numel(), statisticsCols = int64_t(arch.tensors.size()) * StatisticsPerTensor;
    const size_t count = weights.checkpoints.size();
    ZooWeightReader reader(zooPath, arch.name);
    const size_t block = size_t(std::max<int64_t>(1, (int64_t(64) << 20) / 4 / std::max<int64_t>(cols, 1))); // ~64 MB
    std::vector<float> rows, features(count * size_t(statisticsCols));
    // Reads the rows of checkpoints [first, first + n) into `rows`.
    auto readBlock = [&](size_t first, size_t n) {
        std::vector<int64_t> wanted(n);
        for (size_t i = 0; i < n; ++i)
            wanted[i] = int64_t(weightRows.number(weights.checkpoints[first + i]));
        rows.resize(n * size_t(cols));
        reader.readRows(wanted, rows.data());
    };
    StreamingPca pca(cols);
    for (size_t first = 0; first < count; first += block) { // pass 1: statistics and the scatter matrix
        const size_t n = std::min(block, count - first);
        readBlock(first, n);
        pca.accumulate(rows.data(), int64_t(n));
        parallelFor(int64_t(n), [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const std::vector<float> row = weightStatistics(arch, rows.data() + i * cols);
                std::copy(row.begin(), row.end(), features.begin() + long((first + size_t(i)) * size_t(statisticsCols)));
            }
        });
        reportTo(progress, 0.5 * double(first + n) / double(count), "reading weights", "statistics and covariance");
    }
    weights.pca = pca.finish(dimensions);
    weights.pca.coordinates.resize(count * size_t(dimensions));
    for (size_t first = 0; first < count; first += block) { // pass 2: every checkpoint on the axes
        const size_t n = std::min(block, count - first);
        readBlock(first, n);
        const std::vector<float> placed = weights.pca.project(rows.data(), int64_t(n));
        std::copy(placed.begin(), placed.end(), weights.pca.coordinates.begin() + long(first * size_t(dimensions)));
        reportTo(progress, 0.5 + 0.5 * double(first + n) / double(count), "reading weights", "placing checkpoints");
    }
    finishStatisticsMap(statistics, std::move(features), statisticsCols, dimensions);
    return {{MapSource::Weights, std::move(weights)}, {MapSource::WeightStatistics, std::move(statistics)}};
}

} // namespace wse
