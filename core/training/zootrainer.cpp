#include "training/zootrainer.h"

#include "common/error.h"
#include "common/log.h"
#include "torchutil/device.h"
#include "training/populationtrainer.h"
#include "zoo/architecture.h"
#include "zoo/zoostore.h"

#include <cmath>
#include <map>
#include <memory>

namespace wse {

namespace {

void appendModelRows(Zoo &zoo, const std::vector<ModelConfig> &configs, const ZooTrainOptions &options,
                     const std::string &architecture)
{
    for (const ModelConfig &config : configs)
        zoo.models.appendRow({{zoocol::ModelId, config.id},
                              {zoocol::Architecture, architecture},
                              {"dataset", options.data.name},
                              {"init", config.init},
                              {"activation", config.activation},
                              {"optimizer", config.optimizer},
                              {"lr", config.learningRate},
                              {"weight_decay", config.weightDecay},
                              {"seed", config.seed},
                              {"batch_size", options.batchSize},
                              {"epochs", options.epochs}});
}

void appendCheckpoint(Zoo &zoo, int64_t modelIndex, int epoch, const float *weights, const ModelMetrics &metrics)
{
    WeightMatrix &matrix = zoo.weights.front();
    const int64_t row = matrix.rows;
    matrix.appendRow(weights);
    zoo.checkpoints.appendRow({{zoocol::Model, modelIndex},
                               {zoocol::Epoch, epoch},
                               {zoocol::WeightRow, row},
                               {"train_loss", metrics.trainLoss},
                               {"train_acc", metrics.trainAccuracy},
                               {"test_loss", metrics.testLoss},
                               {"test_acc", metrics.testAccuracy},
                               {"ggap", metrics.trainAccuracy - metrics.testAccuracy}});
}

} // namespace

Zoo trainZoo(const ZooTrainOptions &options, const std::string &outputPath, const ProgressCallback &callback)
{
    const std::vector<ModelConfig> configs = options.expandGrid();
    useAllCores();
    const std::string device = resolveDevice(options.device);
    ProgressReporter progress(callback);
    progress.report(0.0, "loading data", options.data.name);
    const TrainTestData data = loadDataset(options.data);

    Zoo zoo;
    zoo.name = options.name;
    zoo.provenance = options.toJson();
    const Architecture architecture = cnnSmall(1);
    zoo.addArchitecture(architecture);
    appendModelRows(zoo, configs, options, architecture.name);

    // Populations: models sharing activation and optimizer, at most populationSize each.
    std::map<std::pair<std::string, std::string>, std::vector<int64_t>> groups;
    for (size_t i = 0; i < configs.size(); ++i)
        groups[{configs[i].activation, configs[i].optimizer}].push_back(int64_t(i));
    std::vector<std::vector<int64_t>> populations;
    for (const auto &[key, members] : groups)
        for (size_t start = 0; start < members.size(); start += size_t(options.populationSize))
            populations.emplace_back(members.begin() + long(start),
                                     members.begin() + long(std::min(members.size(), start + size_t(options.populationSize))));

    std::vector<std::unique_ptr<PopulationTrainer>> trainers;
    for (const std::vector<int64_t> &members : populations) {
        std::vector<ModelConfig> memberConfigs;
        for (int64_t index : members)
            memberConfigs.push_back(configs[size_t(index)]);
        trainers.push_back(std::make_unique<PopulationTrainer>(memberConfigs, data, options.batchSize, device));
    }
    logInfo("training " + std::to_string(configs.size()) + " models in " + std::to_string(populations.size()) +
            " populations on " + describeDevice(device));

    const double totalUnits = double(options.epochs) + 0.1; // epoch 0 (evaluation only) is cheap
    for (int epoch = 0; epoch <= options.epochs; ++epoch) {
        const std::string stage = "epoch " + std::to_string(epoch) + "/" + std::to_string(options.epochs);
        std::vector<ModelMetrics> metrics(configs.size());
        std::vector<std::vector<float>> rows(configs.size());
        for (size_t p = 0; p < trainers.size(); ++p) {
            const double start = epoch == 0 ? 0.1 * double(p) / double(trainers.size())
                                            : 0.1 + double(epoch - 1) + double(p) / double(trainers.size());
            const double span = epoch == 0 ? 0.1 / double(trainers.size()) : 1.0 / double(trainers.size());
            const std::vector<ModelMetrics> populationMetrics =
                epoch == 0 ? trainers[p]->evaluateInitial()
                           : trainers[p]->trainEpoch(&progress, start / totalUnits, span / totalUnits, stage);
            const std::vector<float> weights = trainers[p]->flatWeights();
            const int64_t cols = trainers[p]->parameterCount();
            for (size_t m = 0; m < populations[p].size(); ++m) {
                const auto model = size_t(populations[p][m]);
                metrics[model] = populationMetrics[m];
                rows[model].assign(weights.begin() + long(m) * cols, weights.begin() + long(m + 1) * cols);
            }
        }
        double bestAccuracy = 0.0;
        int diverged = 0;
        for (size_t model = 0; model < configs.size(); ++model) {
            appendCheckpoint(zoo, int64_t(model), epoch, rows[model].data(), metrics[model]);
            if (std::isnan(metrics[model].trainLoss) || std::isnan(metrics[model].testLoss))
                ++diverged;
            else
                bestAccuracy = std::max(bestAccuracy, metrics[model].testAccuracy);
        }
        ZooStore::write(zoo, outputPath);
        char detail[160];
        std::snprintf(detail, sizeof detail, "%zu models, best test accuracy %.3f%s", configs.size(), bestAccuracy,
                      diverged ? (", " + std::to_string(diverged) + " diverged").c_str() : "");
        progress.report((epoch == 0 ? 0.1 : 0.1 + epoch) / totalUnits, stage + " done", detail);
    }
    return zoo;
}

} // namespace wse
