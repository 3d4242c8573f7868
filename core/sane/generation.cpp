#include "sane/generation.h"

#include "analysis/filterexpression.h"
#include "analysis/selection.h"
#include "common/error.h"
#include "sane/saneembedder.h"
#include "sane/saneimport.h"
#include "zoo/zoocheckpoints.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace wse {

GenerationSource GenerationSource::openZoo(const std::string &zooPath)
{
    GenerationSource source;
    source.zoo = ZooStore::read(zooPath, /*withWeights=*/false);
    source.zooPath = zooPath;
    if (source.zoo.provenance.find("\"datasets\"") == std::string::npos)
        throw UsageError(zooPath + " has no training recipe (it was not trained by wse zoo train), so generated "
                                   "networks cannot be evaluated on its data");
    source.recipe = ZooTrainOptions::fromJson(source.zoo.provenance, zooPath, ZooTrainOptions());
    return source;
}

GenerationSource GenerationSource::open(const std::string &encoderPath, const std::string &zooPath)
{
    SaneEncoder encoder = openEncoder(encoderPath);
    GenerationSource source = openZoo(zooPath);
    source.encoder = std::move(encoder);
    for (size_t a = 0; a < source.zoo.architectures.size() && source.architecture < 0; ++a) {
        const Architecture &candidate = source.zoo.architectures[a];
        if (layoutDifference(source.encoder.architecture.tensors.empty() ? candidate : source.encoder.architecture, candidate).empty())
            source.architecture = int(a);
    }
    if (source.architecture < 0)
        throw UsageError(zooPath + ": no architecture of this zoo has the layout the encoder was trained on");
    return source;
}

std::vector<int64_t> GenerationSource::select(const std::string &expression, std::vector<float> *rows) const
{
    std::map<std::string, Column> cache;
    auto column = [&](const std::string &name) -> const Column * {
        auto it = cache.find(name);
        if (it == cache.end()) {
            try {
                it = cache.emplace(name, zoo.checkpointColumn(name)).first;
            } catch (const UsageError &) {
                return nullptr;
            }
        }
        return &it->second;
    };
    const std::vector<bool> selected = expression.empty()
                                           ? std::vector<bool>(size_t(zoo.checkpointCount()), true)
                                           : FilterExpression::parse(expression).evaluate(column, zoo.checkpointCount());
    std::vector<int64_t> candidates;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
        if (selected[size_t(c)] && zoo.checkpointArchitecture(c) == architecture)
            candidates.push_back(c);
    const std::vector<float> weights = this->rows(candidates);
    const int64_t rowSize = arch().numel();
    std::vector<int64_t> finite;
    if (rows)
        rows->clear();
    for (size_t i = 0; i < candidates.size(); ++i) {
        const auto first = weights.begin() + int64_t(i) * rowSize, last = first + rowSize;
        if (std::all_of(first, last, [](float v) { return std::isfinite(v); })) {
            finite.push_back(candidates[i]);
            if (rows)
                rows->insert(rows->end(), first, last);
        }
    }
    return finite;
}

int64_t GenerationSource::checkpoint(const std::string &modelAndEpoch) const
{
    const int64_t c = findCheckpoint(zoo, modelAndEpoch);
    if (zoo.checkpointArchitecture(c) != architecture)
        throw UsageError("'" + modelAndEpoch + "' is not of the architecture the encoder reads");
    return c;
}

std::vector<float> GenerationSource::rows(const std::vector<int64_t> &checkpoints) const
{
    const int64_t rowSize = arch().numel();
    std::vector<float> out(checkpoints.size() * size_t(rowSize));
    if (checkpoints.empty())
        return out;
    ZooWeightReader reader(zooPath, arch().name);
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    for (size_t i = 0; i < checkpoints.size(); ++i)
        reader.read(int64_t(weightRows.number(checkpoints[i])), 1, out.data() + int64_t(i) * rowSize);
    return out;
}

std::string GenerationSource::sharedValue(const std::vector<int64_t> &checkpoints, const std::string &column) const
{
    std::string problem;
    const std::string value = wse::sharedValue(zoo, checkpoints, column, &problem);
    if (!problem.empty())
        throw UsageError(problem);
    return value;
}

ModelConfig GenerationSource::configOf(int64_t checkpoint, const std::string &id, int64_t seed) const
{
    auto number = [&](const char *column, double fallback) {
        const std::string text = zoo.checkpointValue(checkpoint, column);
        char *end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty())
            return fallback;
        if (*end != '\0')
            throw FormatError(zooPath, std::string("column '") + column + "' of checkpoint " +
                                           zoo.checkpointName(checkpoint) + " holds '" + text + "', not a number");
        return value;
    };
    ModelConfig config;
    config.id = id;
    config.dataset = zoo.checkpointValue(checkpoint, "dataset");
    config.init = zoo.checkpointValue(checkpoint, "init");
    config.activation = zoo.checkpointValue(checkpoint, "activation");
    config.optimizer = zoo.checkpointValue(checkpoint, "optimizer");
    config.learningRate = number("lr", 3e-4);
    config.weightDecay = number("weight_decay", 0.0);
    config.dropout = number("dropout", 0.0);
    config.batchSize = int(number("batch_size", 10));
    config.seed = seed;
    return config;
}

ZooDatasetSetup generationData(const GenerationSource &source, const std::string &dataset)
{
    ZooDatasetSetup setup = setupZooDataset(source.recipe, dataset);
    if (source.recipe.testLimit > 0) // a quick zoo: choose on as many validation images as it tests on
        setup.data.validation = setup.data.validation.head(source.recipe.testLimit);
    return setup;
}

NetworkEvaluation evaluateNetworks(const ZooDatasetSetup &setup, const std::vector<ModelConfig> &configs,
                                   std::vector<float> &rows, const std::string &device, int64_t bnIterations)
{
    PopulationTrainer networks(setup.network, configs, setup.data, device);
    networks.setFlatWeights(rows);
    if (networks.hasBatchNorm() && bnIterations > 0) {
        networks.conditionBatchNorm(bnIterations);
        rows = networks.flatWeights();
    }
    NetworkEvaluation evaluation;
    evaluation.metrics = networks.evaluateInitial();
    for (const ModelMetrics &m : networks.evaluateValidation())
        evaluation.validationAccuracy.push_back(m.testAccuracy);
    return evaluation;
}

GeneratedZoo::GeneratedZoo(const GenerationSource &source, const std::string &name, const std::string &provenance)
{
    mZoo.name = name;
    nlohmann::json made = nlohmann::json::parse(provenance);
    const nlohmann::json recipe = nlohmann::json::parse(source.zoo.provenance, nullptr, false);
    made["recipe"] = recipe.is_discarded() ? nlohmann::json(source.zoo.provenance) : recipe;
    mZoo.provenance = made.dump();
    mZoo.addArchitecture(source.arch());
    mZoo.weights.resize(1);
    mZoo.weights[0].cols = source.arch().numel();
}

void GeneratedZoo::addModel(const std::vector<std::pair<std::string, Table::Value>> &columns) { mZoo.models.appendRow(columns); }

void GeneratedZoo::addCheckpoint(int64_t model, int epoch, const float *weights, const ModelMetrics &m, double validationAccuracy)
{
    mZoo.checkpoints.appendRow({{zoocol::Model, model}, {zoocol::Epoch, epoch}, {zoocol::WeightRow, mZoo.weights[0].rows},
                                {"train_loss", m.trainLoss}, {"train_acc", m.trainAccuracy}, {"test_loss", m.testLoss},
                                {"test_acc", m.testAccuracy}, {"ggap", m.trainAccuracy - m.testAccuracy},
                                {"val_acc", validationAccuracy}});
    mZoo.weights[0].appendRow(weights);
}

void GeneratedZoo::write(const std::string &path) const { ZooStore::write(mZoo, path); }

} // namespace wse
