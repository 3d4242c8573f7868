#include "sane/sanedata.h"

#include "common/error.h"
#include "jobs/progress.h"
#include "sane/permutation.h"
#include "zoo/zoostore.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace wse {

std::map<std::string, std::string> splitModels(std::vector<std::string> modelIds, int64_t seed,
                                               const std::array<double, 3> &fractions)
{
    std::sort(modelIds.begin(), modelIds.end());
    std::mt19937_64 random{static_cast<uint64_t>(seed)};
    std::shuffle(modelIds.begin(), modelIds.end(), random);
    const int64_t n = int64_t(modelIds.size());
    int64_t trainEnd = int64_t(fractions[0] * double(n));
    int64_t valEnd = trainEnd + int64_t(fractions[1] * double(n));
    if (n >= 3) { // a split with no model would make validation or testing meaningless
        trainEnd = std::clamp<int64_t>(trainEnd, 1, n - 2);
        valEnd = std::clamp<int64_t>(valEnd, trainEnd + 1, n - 1);
    }
    std::map<std::string, std::string> split;
    for (int64_t i = 0; i < n; ++i)
        split[modelIds[size_t(i)]] = i < trainEnd ? "train" : i < valEnd ? "val" : "test";
    return split;
}

namespace {

bool finite(const float *values, int64_t count)
{
    return std::all_of(values, values + count, [](float v) { return std::isfinite(v); });
}

// Official map_to_canonical (sane-spec §2.2): the reference is the last finite checkpoint of the
// first training model (in the split's order); each model's permutation is matched on its own
// last finite checkpoint and applied to all its checkpoints. Returns the reference row.
std::vector<float> alignModels(const Zoo &zoo, int architecture, const std::map<std::string, std::string> &split,
                               int64_t seed, WeightMatrix &weights)
{
    const NeuronPermuter permuter(zoo.architectures[size_t(architecture)]);
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    const Column &epochs = zoo.checkpoints.get(zoocol::Epoch);
    std::map<std::string, std::vector<std::pair<double, int64_t>>> rowsOfModel; // model -> (epoch, row)
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
        if (zoo.checkpointArchitecture(c) == architecture)
            rowsOfModel[zoo.checkpointValue(c, zoocol::ModelId)].push_back({epochs.number(c), int64_t(weightRows.number(c))});
    auto lastFinite = [&](std::vector<std::pair<double, int64_t>> &rows) -> int64_t {
        std::sort(rows.begin(), rows.end());
        for (auto it = rows.rbegin(); it != rows.rend(); ++it)
            if (finite(weights.row(it->second), weights.cols))
                return it->second;
        return -1;
    };
    std::vector<float> reference;
    for (auto &[model, rows] : rowsOfModel) // model ids in order; the first training model with a finite checkpoint
        if (split.at(model) == "train" && reference.empty())
            if (const int64_t row = lastFinite(rows); row >= 0)
                reference.assign(weights.row(row), weights.row(row) + weights.cols);
    if (reference.empty())
        throw UsageError("alignment: no finite checkpoint in the training split to align to");
    std::mt19937_64 random{static_cast<uint64_t>(seed)};
    for (auto &[model, rows] : rowsOfModel) {
        const int64_t last = lastFinite(rows);
        if (last < 0)
            continue; // diverged everywhere: left out later anyway
        const NeuronPermuter::Orders orders = permuter.match(weights.row(last), reference.data(), random);
        for (const auto &entry : rows)
            permuter.apply(weights.values.data() + entry.second * weights.cols, orders);
    }
    return reference;
}

} // namespace

namespace {

// The finite checkpoints of the training and validation splits (diverged ones would poison the
// statistics), as weight rows.
struct SplitRows
{
    std::vector<int64_t> train, val;
};

SplitRows finiteRowsBySplit(const Zoo &zoo, int architecture, const WeightMatrix &weights, SaneZooData &data)
{
    SplitRows rows;
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
        if (zoo.checkpointArchitecture(c) != architecture)
            continue;
        const int64_t row = int64_t(weightRows.number(c));
        const float *values = weights.row(row);
        if (!std::all_of(values, values + weights.cols, [](float v) { return std::isfinite(v); })) {
            ++data.skippedNonFinite;
            continue;
        }
        const std::string &split = data.split[zoo.checkpointValue(c, zoocol::ModelId)];
        if (split == "train")
            rows.train.push_back(row);
        else if (split == "val")
            rows.val.push_back(row);
    }
    return rows;
}

// The window must fit the token sequence; position embeddings must cover every position (0: as
// many as the zoo needs).
void fitSequence(const SaneZooData &data, SaneConfig &config)
{
    const int64_t n = data.layout->length();
    if (config.windowSize > n)
        throw UsageError("the training window (" + std::to_string(config.windowSize) + " tokens) is longer than the token sequence of " +
                         data.architecture.name + " (" + std::to_string(n) + " tokens at token size " +
                         std::to_string(config.tokenSize) + "); set window_size to at most " + std::to_string(n));
    for (int axis = 0; axis < 3; ++axis) {
        int64_t largest = 0;
        for (int64_t t = 0; t < n; ++t)
            largest = std::max<int64_t>(largest, data.layout->positions()[size_t(t * 3 + axis)]);
        if (config.maxPositions[size_t(axis)] == 0)
            config.maxPositions[size_t(axis)] = largest + 1;
        else if (config.maxPositions[size_t(axis)] <= largest)
            throw UsageError("max_positions[" + std::to_string(axis) + "] = " + std::to_string(config.maxPositions[size_t(axis)]) +
                             " is too small for this zoo (needs " + std::to_string(largest + 1) + ")");
    }
}

// The architecture most checkpoints have, and its models split by model into train/val/test.
int chooseArchitecture(const Zoo &zoo, const std::string &zooPath, const SaneConfig &config, SaneZooData &data)
{
    if (zoo.architectures.empty())
        throw UsageError(zooPath + ": the zoo has no checkpoints");
    std::vector<int64_t> perArchitecture(zoo.architectures.size(), 0);
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
        ++perArchitecture[size_t(zoo.checkpointArchitecture(c))];
    const int architecture = int(std::max_element(perArchitecture.begin(), perArchitecture.end()) - perArchitecture.begin());
    data.architecture = zoo.architectures[size_t(architecture)];
    std::vector<std::string> ids;
    const Column &modelIds = zoo.models.get(zoocol::ModelId);
    const Column &architectures = zoo.models.get(zoocol::Architecture);
    for (int64_t m = 0; m < zoo.modelCount(); ++m)
        if (architectures.text(m) == data.architecture.name)
            ids.push_back(modelIds.text(m));
    if (ids.size() < 3)
        throw UsageError(zooPath + ": SANE needs at least 3 models of one architecture (train, validation and test "
                                   "splits are made by model); " + data.architecture.name + " has " + std::to_string(ids.size()));
    data.split = splitModels(ids, config.seed, config.split);
    return architecture;
}

} // namespace

SaneZooData loadSaneZooData(const std::string &zooPath, SaneConfig &config, ProgressReporter *progress)
{
    const Zoo zoo = ZooStore::read(zooPath, /*withWeights=*/false);
    SaneZooData data;
    const int architecture = chooseArchitecture(zoo, zooPath, config, data);
    WeightMatrix weights = ZooStore::readWeights(zooPath, data.architecture.name);
    if (config.align)
        data.reference = alignModels(zoo, architecture, data.split, config.seed, weights);
    const SplitRows rows = finiteRowsBySplit(zoo, architecture, weights, data);
    if (rows.train.empty())
        throw UsageError(zooPath + ": no finite checkpoint in the training split");
    data.normalization = LayerStandardization::compute(
        data.architecture, int64_t(rows.train.size()), [&](int64_t i) { return weights.row(rows.train[size_t(i)]); },
        config.includeBatchNorm);
    data.layout = std::make_unique<TokenLayout>(data.architecture, TokenizeOptions{config.tokenSize, config.includeBatchNorm},
                                                data.normalization);
    config.tokenSize = data.layout->tokenSize();
    fitSequence(data, config);
    const int64_t n = data.layout->length();
    auto tokensOf = [&](const std::vector<int64_t> &rowsOfSplit, std::vector<float> &out) {
        const int64_t size = n * data.layout->tokenSize();
        out.resize(rowsOfSplit.size() * size_t(size));
        for (size_t i = 0; i < rowsOfSplit.size(); ++i)
            data.layout->tokens(weights.row(rowsOfSplit[i]), out.data() + int64_t(i) * size);
    };
    tokensOf(rows.train, data.trainTokens);
    if (config.permuteView)
        for (int64_t row : rows.train)
            data.trainWeights.insert(data.trainWeights.end(), weights.row(row), weights.row(row) + weights.cols);
    tokensOf(rows.val, data.valTokens);
    data.trainCount = int64_t(rows.train.size());
    data.valCount = int64_t(rows.val.size());
    if (progress)
        progress->report(0.0, "data", std::to_string(data.trainCount) + " training checkpoints of " + std::to_string(n) + " tokens");
    return data;
}

} // namespace wse
