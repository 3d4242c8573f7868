#include "training/zootrainer.h"
#include "training/zooshards.h"

#include "checkpoint/checkpointfile.h"
#include "common/crashpoint.h"
#include "common/error.h"
#include "common/log.h"
#include "data/datasets.h"
#include "torchutil/device.h"
#include "training/populationtrainer.h"
#include "zoo/architecture.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

namespace wse {

namespace {

constexpr const char *TrainingState = "training_state";
constexpr const char *MembersKey = "members";

struct Population
{
    std::string dataset;
    std::vector<int64_t> members; // model indices
    std::unique_ptr<PopulationTrainer> trainer;
};

int64_t imageSideFor(const std::string &architecture)
{
    return architecture == "cnn-s" ? 28 : architecture == "cnn-l" ? 32 : 0; // resnet-18: any size (adaptive pooling)
}

Zoo newZoo(const ZooTrainOptions &options, const std::vector<ModelConfig> &configs,
           const std::map<std::string, NetworkSpec> &networks)
{
    Zoo zoo;
    zoo.name = options.name;
    zoo.provenance = options.toJson();
    for (const ModelConfig &config : configs) {
        const NetworkSpec &network = networks.at(config.dataset);
        const Architecture architecture = network.architecture(false);
        zoo.addArchitecture(architecture);
        // Models with dropout have the official (shifted) key names; same shapes, same matrix.
        std::string keys;
        if (config.dropout > 0.0) {
            nlohmann::json list = nlohmann::json::array();
            for (const TensorSpec &tensor : network.architecture(true).tensors)
                list.push_back(tensor.key);
            if (network.architecture(true).tensors.front().key != architecture.tensors.front().key ||
                network.architecture(true).tensors.back().key != architecture.tensors.back().key)
                keys = list.dump();
        }
        zoo.models.appendRow({{zoocol::ModelId, config.id},
                              {zoocol::Architecture, architecture.name},
                              {"dataset", config.dataset},
                              {"init", config.init},
                              {"activation", config.activation},
                              {"optimizer", config.optimizer},
                              {"lr", config.learningRate},
                              {"weight_decay", config.weightDecay},
                              {"dropout", config.dropout},
                              {"batch_size", config.batchSize},
                              {"seed", config.seed},
                              {"epochs", options.epochs},
                              {"diverged_epoch", NAN},
                              {zoocol::StateDictKeys, keys}});
    }
    return zoo;
}

void appendEpoch(Zoo &zoo, int64_t model, int epoch, const float *weights, int64_t cols, const ModelMetrics &metrics,
                 bool store)
{
    const std::vector<std::pair<std::string, Table::Value>> values = {
        {"train_loss", metrics.trainLoss}, {"train_acc", metrics.trainAccuracy}, {"test_loss", metrics.testLoss},
        {"test_acc", metrics.testAccuracy}, {"ggap", metrics.trainAccuracy - metrics.testAccuracy}};
    std::vector<std::pair<std::string, Table::Value>> curve = {{zoocol::Model, model}, {zoocol::Epoch, epoch}};
    curve.insert(curve.end(), values.begin(), values.end());
    zoo.curves.appendRow(curve);
    // Diverged: a non-finite loss or weight (recorded, the model stays in the zoo).
    const bool finiteWeights = std::all_of(weights, weights + cols, [](float v) { return std::isfinite(v); });
    if (!std::isfinite(metrics.trainLoss) || !std::isfinite(metrics.testLoss) || !finiteWeights)
        if (std::isnan(zoo.models.get("diverged_epoch").number(model)))
            zoo.models.set("diverged_epoch", model, epoch);
    if (!store)
        return;
    const int arch = zoo.architectureIndex(zoo.models.get(zoocol::Architecture).text(model));
    WeightMatrix &matrix = zoo.weights[size_t(arch)];
    std::vector<std::pair<std::string, Table::Value>> checkpoint = {
        {zoocol::Model, model}, {zoocol::Epoch, epoch}, {zoocol::WeightRow, matrix.rows}};
    checkpoint.insert(checkpoint.end(), values.begin(), values.end());
    matrix.appendRow(weights);
    zoo.checkpoints.appendRow(checkpoint);
}

// Which models a population's rows are.
TensorBuffer membersBuffer(const Population &population)
{
    return TensorBuffer::fromInt64({int64_t(population.members.size())}, population.members.data());
}

std::vector<uint8_t> saveTrainingState(const std::vector<Population> &populations, int nextEpoch)
{
    StateDict state;
    const int64_t epoch = nextEpoch;
    state.entries.emplace_back("next_epoch", TensorBuffer::fromInt64({1}, &epoch));
    for (size_t p = 0; p < populations.size(); ++p) {
        const std::string prefix = "population." + std::to_string(p) + ".";
        state.entries.emplace_back(prefix + MembersKey, membersBuffer(populations[p])); // checked on resume
        for (auto &[key, tensor] : populations[p].trainer->saveState().entries)
            state.entries.emplace_back(prefix + key, std::move(tensor));
    }
    return serializeCheckpoint(state);
}

// Training states written before populations mixed activations (no member lists) resume with the
// grouping they were written with.
bool groupedByActivation(const StateDict &state)
{
    return !state.find(std::string("population.0.") + MembersKey);
}

int loadTrainingState(const StateDict &state, std::vector<Population> &populations, const std::string &path)
{
    const TensorBuffer *next = state.find("next_epoch");
    if (!next || next->bytes.size() != 8)
        throw FormatError(path, "training state has no next_epoch");
    int64_t epoch = 0;
    std::memcpy(&epoch, next->bytes.data(), 8);
    for (size_t p = 0; p < populations.size(); ++p) {
        const std::string prefix = "population." + std::to_string(p) + ".";
        if (const TensorBuffer *saved = state.find(prefix + MembersKey))
            if (saved->bytes != membersBuffer(populations[p]).bytes)
                throw FormatError(path, "training state groups the models into other populations than this version "
                                        "does; delete the file to train the zoo again");
        StateDict part;
        for (const auto &[key, tensor] : state.entries)
            if (key.compare(0, prefix.size(), prefix) == 0)
                part.entries.emplace_back(key.substr(prefix.size()), tensor);
        populations[p].trainer->loadState(part, path);
    }
    return int(epoch);
}

} // namespace

ZooDatasetSetup setupZooDataset(const ZooTrainOptions &options, const std::string &dataset)
{
    DatasetOptions dataOptions;
    dataOptions.name = dataset;
    dataOptions.root = options.dataRoot;
    dataOptions.trainLimit = options.trainLimit;
    dataOptions.testLimit = options.testLimit;
    dataOptions.resize = imageSideFor(options.architecture);
    ZooDatasetSetup setup;
    setup.data = loadDataset(dataOptions);
    const ImageDataset &train = setup.data.train;
    setup.network = networkSpec(options.architecture, train.channels, train.height, train.width, train.classes);
    return setup;
}

// Inits, optimizers, rates, decays, dropout, seeds and activations vary inside a population: with
// the activation runs split once and joined once, 64 CNN-s models with six activations train as
// fast in one population as in six (1.13 s vs 1.15-1.28 s an epoch, wse-bench-training 64, CPU),
// and fewer, larger populations fill a GPU.
std::vector<std::vector<int64_t>> groupIntoPopulations(const std::vector<ModelConfig> &configs, int populationSize,
                                                       bool byActivation)
{
    // Keyed (and so ordered) as before populations mixed activations: old training states are
    // matched to populations by position.
    std::map<std::tuple<std::string, std::string, int>, std::vector<int64_t>> groups;
    for (size_t i = 0; i < configs.size(); ++i)
        groups[{configs[i].dataset, byActivation ? configs[i].activation : "", configs[i].batchSize}].push_back(
            int64_t(i));
    std::vector<std::vector<int64_t>> populations;
    for (auto &[key, members] : groups) {
        std::stable_sort(members.begin(), members.end(), [&](int64_t a, int64_t b) {
            return configs[size_t(a)].activation < configs[size_t(b)].activation;
        });
        for (size_t start = 0; start < members.size(); start += size_t(populationSize))
            populations.emplace_back(members.begin() + long(start),
                                     members.begin() + long(std::min(members.size(), start + size_t(populationSize))));
    }
    return populations;
}

namespace {

enum class Existing { None, Resume, Complete };

// An existing file: the same job resumes (or is already complete); another zoo is not touched.
Existing readExisting(const ZooTrainOptions &options, const std::string &outputPath, Zoo &zoo)
{
    std::error_code error;
    if (!std::filesystem::exists(outputPath, error))
        return Existing::None;
    zoo = ZooStore::read(outputPath);
    if (zoo.provenance != options.toJson())
        throw UsageError(outputPath + " already holds a zoo made with other options; choose another output "
                                      "file or delete it");
    return zoo.attachments.count(TrainingState) ? Existing::Resume : Existing::Complete;
}

std::vector<Population> makePopulations(const ZooTrainOptions &options, const std::vector<ModelConfig> &configs,
                                        const std::map<std::string, NetworkSpec> &networks,
                                        const std::map<std::string, TrainTestData> &data, bool byActivation,
                                        const std::string &device, const Shard &shard)
{
    std::vector<Population> populations;
    std::vector<std::vector<int64_t>> groups = groupIntoPopulations(configs, options.populationSize, byActivation);
    for (size_t group = 0; group < groups.size(); ++group) {
        if (!shard.owns(int64_t(group)))
            continue; // another process trains it
        std::vector<int64_t> &members = groups[group];
        Population population;
        population.dataset = configs[size_t(members.front())].dataset;
        population.members = std::move(members);
        std::vector<ModelConfig> memberConfigs;
        for (int64_t index : population.members)
            memberConfigs.push_back(configs[size_t(index)]);
        population.trainer = std::make_unique<PopulationTrainer>(networks.at(population.dataset), memberConfigs,
                                                                 data.at(population.dataset), device);
        populations.push_back(std::move(population));
    }
    return populations;
}

// One epoch of every population (epoch 0: the initial networks, evaluated), added to the zoo.
// Returns the best test accuracy and the number of diverged models.
std::pair<double, int> runEpoch(Zoo &zoo, std::vector<Population> &populations, const ZooTrainOptions &options,
                                int epoch, ProgressReporter &progress)
{
    const double totalUnits = double(options.epochs) + 0.1; // epoch 0 (evaluation only) is cheap
    const std::string stage = "epoch " + std::to_string(epoch) + "/" + std::to_string(options.epochs);
    double best = 0.0;
    int diverged = 0;
    for (size_t p = 0; p < populations.size(); ++p) {
        Population &population = populations[p];
        const double unitStart = epoch == 0 ? 0.0 : 0.1 + double(epoch - 1);
        const double unitSpan = epoch == 0 ? 0.1 : 1.0;
        const double start = (unitStart + unitSpan * double(p) / double(populations.size())) / totalUnits;
        const double span = unitSpan / double(populations.size()) / totalUnits;
        const std::vector<ModelMetrics> metrics =
            epoch == 0 ? population.trainer->evaluateInitial()
                       : population.trainer->trainEpoch(&progress, start, span,
                                                        stage + " · population " + std::to_string(p + 1) + "/" +
                                                            std::to_string(populations.size()));
        const std::vector<float> weights = population.trainer->flatWeights();
        const int64_t cols = population.trainer->parameterCount();
        for (size_t m = 0; m < population.members.size(); ++m) {
            appendEpoch(zoo, population.members[m], epoch, weights.data() + int64_t(m) * cols, cols, metrics[m],
                        options.storesEpoch(epoch));
            if (!std::isnan(zoo.models.get("diverged_epoch").number(population.members[m])))
                ++diverged;
            else
                best = std::max(best, metrics[m].testAccuracy);
        }
    }
    return {best, diverged};
}

} // namespace

Zoo trainZoo(const ZooTrainOptions &options, const std::string &wholePath, const ProgressCallback &callback,
             const Shard &shard)
{
    const std::vector<ModelConfig> configs = options.expandModels();
    useAllCores();
    const std::string device = resolveDevice(options.device);
    ProgressReporter progress(callback);
    Zoo zoo;
    if (!shard.whole() && readExisting(options, wholePath, zoo) == Existing::Complete) {
        progress.report(1.0, "complete", "nothing left to train");
        return zoo;
    }
    const std::string outputPath = shard.whole() ? wholePath : zooPartPath(wholePath, shard);
    zoo = Zoo();
    const Existing existing = readExisting(options, outputPath, zoo);
    if (existing == Existing::Complete) {
        logInfo(outputPath + " is already complete");
        progress.report(1.0, "complete", "nothing left to train");
        return zoo;
    }
    const bool resuming = existing == Existing::Resume;
    std::map<std::string, TrainTestData> data;
    std::map<std::string, NetworkSpec> networks;
    for (const std::string &name : options.datasets) {
        progress.report(0.0, "loading data", name);
        ZooDatasetSetup setup = setupZooDataset(options, name);
        data[name] = std::move(setup.data);
        networks.emplace(name, setup.network);
    }
    if (!resuming)
        zoo = newZoo(options, configs, networks);
    std::optional<StateDict> saved;
    if (resuming)
        saved = readCheckpointBytes(zoo.attachments.at(TrainingState), outputPath + " (training state)");
    std::vector<Population> populations =
        makePopulations(options, configs, networks, data, saved && groupedByActivation(*saved), device, shard);
    const int firstEpoch = saved ? loadTrainingState(*saved, populations, outputPath) : 0;
    logInfo(std::string(resuming ? "resuming at epoch " + std::to_string(firstEpoch) + ": " : "training ") +
            (shard.whole() ? std::to_string(configs.size()) + " models in "
                           : "part " + std::to_string(shard.index + 1) + " of " + std::to_string(shard.count) + ": ") +
            std::to_string(populations.size()) + " populations on " + describeDevice(device));
    const double totalUnits = double(options.epochs) + 0.1;
    for (int epoch = firstEpoch; epoch <= options.epochs; ++epoch) {
        const auto [best, diverged] = runEpoch(zoo, populations, options, epoch, progress);
        if (epoch < options.epochs)
            zoo.attachments[TrainingState] = saveTrainingState(populations, epoch + 1);
        else
            zoo.attachments.erase(TrainingState);
        ZooStore::write(zoo, outputPath);
        crashPoint("zoo-epoch-saved");
        char detail[160];
        std::snprintf(detail, sizeof detail, "%zu models, best test accuracy %.3f%s", configs.size(), best,
                      diverged ? (", " + std::to_string(diverged) + " diverged").c_str() : "");
        progress.report((epoch == 0 ? 0.1 : 0.1 + epoch) / totalUnits,
                        "epoch " + std::to_string(epoch) + "/" + std::to_string(options.epochs) + " done", detail);
    }
    return zoo;
}

} // namespace wse
