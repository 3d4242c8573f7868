#include "training/zootrainoptions.h"

#include "common/error.h"
#include "common/jsonread.h"
#include "data/datasets.h"
#include "zoo/architecture.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <random>

namespace wse {

std::vector<std::string> knownInits()
{
    return {"uniform", "normal", "kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal",
            "orthogonal", "truncated_normal"};
}

std::vector<std::string> knownActivations() { return {"tanh", "relu", "sigmoid", "gelu", "silu", "leaky_relu"}; }

std::vector<std::string> knownOptimizers() { return {"adam", "adamw", "sgd"}; }

ZooTrainOptions ZooTrainOptions::demo()
{
    ZooTrainOptions options;
    options.name = "demo: CNN-s on Fashion-MNIST and digits";
    options.datasets = {"fashion-mnist", "digits"};
    options.inits = {"uniform", "normal", "kaiming_uniform", "kaiming_normal"};
    options.activations = {"tanh", "relu", "sigmoid", "gelu"};
    // Adam vs AdamW (L2 vs decoupled decay): SGD on U(0,1) inits blows the weights up in one
    // step, and such models would dominate every map of a small demo.
    options.optimizers = {"adam", "adamw"};
    options.learningRates = {1e-3};
    options.weightDecays = {1e-3};
    options.seeds = {1, 2};
    options.epochs = 8;
    options.trainLimit = 3000; // about 1.5 minutes on 2 CPU cores
    options.testLimit = 2000;
    return options;
}

std::vector<std::string> ZooTrainOptions::presetNames() { return {"seed", "hyp-fix", "hyp-rand"}; }

ZooTrainOptions ZooTrainOptions::preset(const std::string &name)
{
    ZooTrainOptions options;
    options.datasets = {"fashion-mnist"};
    options.epochs = 50;
    options.batchSizes = {10};
    if (name == "seed") { // tune_zoo_f_mnist_uniform
        options.name = "F-MNIST Seed (official recipe)";
        options.inits = {"uniform"};
        options.activations = {"tanh"};
        options.optimizers = {"adam"};
        options.learningRates = {3e-4};
        options.weightDecays = {0.0};
        options.seeds.clear();
        for (int64_t s = 1; s <= 1000; ++s)
            options.seeds.push_back(s);
        return options;
    }
    if (name == "hyp-fix" || name == "hyp-rand") { // tune_zoo_f_mnist_hyperparameter_10_*_seeds
        options.name = std::string("F-MNIST Hyp-10-") + (name == "hyp-fix" ? "fix" : "rand") + " (official grid)";
        options.activations = {"tanh", "relu", "sigmoid", "gelu"};
        options.dropouts = {0.0, 0.5};
        options.inits = {"uniform", "normal", "kaiming_uniform", "kaiming_normal"};
        options.optimizers = {"adam", "sgd"};
        options.learningRates = {1e-3, 1e-4};
        options.weightDecays = {1e-3, 1e-4};
        if (name == "hyp-fix")
            options.seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        else
            options.seedsPerConfig = 10;
        return options;
    }
    throw UsageError("unknown preset '" + name + "' (known: seed, hyp-fix, hyp-rand)");
}

bool ZooTrainOptions::storesEpoch(int epoch) const
{
    return checkpointEpochs.empty() ||
           std::find(checkpointEpochs.begin(), checkpointEpochs.end(), epoch) != checkpointEpochs.end();
}

namespace {

void checkNames(const std::vector<std::string> &values, const std::vector<std::string> &known, const std::string &axis)
{
    if (values.empty())
        throw UsageError("the " + axis + " axis is empty");
    for (const std::string &value : values)
        if (std::find(known.begin(), known.end(), value) == known.end()) {
            std::string list;
            for (const std::string &name : known)
                list += (list.empty() ? "" : ", ") + name;
            throw UsageError("unknown " + axis + " '" + value + "' (known: " + list + ")");
        }
}

template <typename T>
const T &pick(const std::vector<T> &values, std::mt19937_64 &random)
{
    return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(random)];
}

} // namespace

namespace {

std::string formatCount(double count)
{
    char text[32];
    std::snprintf(text, sizeof text, count < 1e15 ? "%.0f" : "%.3g", count);
    return text;
}

std::string tooManyModels(double count)
{
    return "this configuration makes " + formatCount(count) + " models; one zoo job trains at most " +
           formatCount(double(ZooTrainOptions::MaxModels));
}

} // namespace

double ZooTrainOptions::modelCount() const
{
    if (search == "random")
        return double(models);
    const bool resnet = architecture == "resnet-18"; // one activation and no dropout, as below
    return double(datasets.size()) * double(resnet ? 1 : activations.size()) * double(resnet ? 1 : dropouts.size()) *
           double(inits.size()) * double(optimizers.size()) * double(learningRates.size()) *
           double(weightDecays.size()) * double(batchSizes.size()) *
           double(seedsPerConfig > 0 ? size_t(seedsPerConfig) : seeds.size());
}

std::vector<ModelConfig> ZooTrainOptions::expandModels() const
{
    std::vector<std::string> datasetNames;
    for (const DatasetInfo &info : knownDatasets())
        datasetNames.push_back(info.name);
    checkNames(datasets, datasetNames, "dataset");
    checkNames({architecture}, knownNetworkFamilies(), "architecture");
    checkNames(inits, knownInits(), "init");
    checkNames(activations, knownActivations(), "activation");
    checkNames(optimizers, knownOptimizers(), "optimizer");
    if (learningRates.empty() || weightDecays.empty() || dropouts.empty() || batchSizes.empty() ||
        (seeds.empty() && seedsPerConfig <= 0))
        throw UsageError("every axis (learning rate, weight decay, dropout, batch size, seed) needs a value");
    for (double p : dropouts)
        if (p < 0.0 || p >= 1.0)
            throw UsageError("dropout must be in [0, 1), got " + std::to_string(p));
    for (int b : batchSizes)
        if (b < 1)
            throw UsageError("batch size must be at least 1");
    if (epochs < 0 || populationSize < 1)
        throw UsageError("epochs must be >= 0 and the population size >= 1");
    if (search != "grid" && search != "random")
        throw UsageError("search must be grid or random, got '" + search + "'");
    if (search == "random" && models < 1)
        throw UsageError("a random search needs the number of models (--models N)");

    // The official ResNet ignores model::nlin and model::dropout: ReLU, no dropout, recorded so.
    const bool resnet = architecture == "resnet-18";
    const std::vector<std::string> &activationAxis = resnet ? std::vector<std::string>{"relu"} : activations;
    const std::vector<double> &dropoutAxis = resnet ? std::vector<double>{0.0} : dropouts;
    const double count = modelCount();
    if (count > double(MaxModels))
        throw UsageError(tooManyModels(count));
    std::vector<ModelConfig> configs;
    configs.reserve(size_t(count));
    std::mt19937_64 random{uint64_t(searchSeed)};
    std::uniform_int_distribution<int64_t> randomSeed(0, 999999);
    auto add = [&](ModelConfig config) {
        char number[32];
        std::snprintf(number, sizeof number, "%05zu", configs.size());
        config.id = idPrefix + number;
        configs.push_back(std::move(config));
    };
    if (search == "random") {
        for (int i = 0; i < models; ++i)
            add({"", pick(datasets, random), pick(inits, random), pick(activationAxis, random), pick(optimizers, random),
                 pick(learningRates, random), pick(weightDecays, random), pick(dropoutAxis, random),
                 pick(batchSizes, random), seeds.empty() || seedsPerConfig > 0 ? randomSeed(random) : pick(seeds, random)});
        return configs;
    }
    for (const std::string &dataset : datasets)
        for (const std::string &activation : activationAxis)
            for (double dropout : dropoutAxis)
                for (const std::string &init : inits)
                    for (const std::string &optimizer : optimizers)
                        for (double lr : learningRates)
                            for (double wd : weightDecays)
                                for (int batch : batchSizes) {
                                    std::vector<int64_t> modelSeeds = seeds;
                                    if (seedsPerConfig > 0) { // independent draws per configuration, as Ray's randint
                                        modelSeeds.clear();
                                        for (int s = 0; s < seedsPerConfig; ++s)
                                            modelSeeds.push_back(randomSeed(random));
                                    }
                                    for (int64_t seed : modelSeeds)
                                        add({"", dataset, init, activation, optimizer, lr, wd, dropout, batch, seed});
                                }
    return configs;
}

std::string ZooTrainOptions::toJson() const
{
    nlohmann::json j;
    j["kind"] = "trained";
    j["name"] = name;
    j["architecture"] = architecture;
    j["datasets"] = datasets;
    j["data_root"] = dataRoot;
    j["train_limit"] = trainLimit;
    j["test_limit"] = testLimit;
    j["split_seed"] = 42;
    j["inits"] = inits;
    j["activations"] = activations;
    j["optimizers"] = optimizers;
    j["learning_rates"] = learningRates;
    j["weight_decays"] = weightDecays;
    j["dropouts"] = dropouts;
    j["batch_sizes"] = batchSizes;
    j["seeds"] = seeds;
    j["seeds_per_config"] = seedsPerConfig;
    j["search"] = search;
    j["models"] = models;
    j["search_seed"] = searchSeed;
    if (idPrefix != "m") // zoos written before the prefix existed keep their provenance (and resume)
        j["id_prefix"] = idPrefix;
    j["epochs"] = epochs;
    j["checkpoint_epochs"] = checkpointEpochs;
    j["population_size"] = populationSize;
    j["device"] = device;
    return j.dump();
}

ZooTrainOptions ZooTrainOptions::fromJson(const std::string &text, const std::string &label, ZooTrainOptions o)
{
    {
        const nlohmann::json j = jsonread::parseObject(text, label, "zoo configuration");
        for (const auto &[key, value] : j.items()) {
            if (key == "kind" || key == "split_seed") continue;
            else if (key == "name") o.name = jsonread::get<std::string>(value, key, label);
            else if (key == "architecture") o.architecture = jsonread::get<std::string>(value, key, label);
            else if (key == "datasets") o.datasets = jsonread::get<std::vector<std::string>>(value, key, label);
            else if (key == "data_root") o.dataRoot = jsonread::get<std::string>(value, key, label);
            else if (key == "train_limit") o.trainLimit = jsonread::get<int64_t>(value, key, label);
            else if (key == "test_limit") o.testLimit = jsonread::get<int64_t>(value, key, label);
            else if (key == "inits") o.inits = jsonread::get<std::vector<std::string>>(value, key, label);
            else if (key == "activations") o.activations = jsonread::get<std::vector<std::string>>(value, key, label);
            else if (key == "optimizers") o.optimizers = jsonread::get<std::vector<std::string>>(value, key, label);
            else if (key == "learning_rates") o.learningRates = jsonread::get<std::vector<double>>(value, key, label);
            else if (key == "weight_decays") o.weightDecays = jsonread::get<std::vector<double>>(value, key, label);
            else if (key == "dropouts") o.dropouts = jsonread::get<std::vector<double>>(value, key, label);
            else if (key == "batch_sizes") o.batchSizes = jsonread::get<std::vector<int>>(value, key, label);
            else if (key == "seeds") o.seeds = jsonread::get<std::vector<int64_t>>(value, key, label);
            else if (key == "seeds_per_config") o.seedsPerConfig = jsonread::get<int>(value, key, label);
            else if (key == "search") o.search = jsonread::get<std::string>(value, key, label);
            else if (key == "models") o.models = jsonread::get<int>(value, key, label);
            else if (key == "search_seed") o.searchSeed = jsonread::get<int64_t>(value, key, label);
            else if (key == "id_prefix") o.idPrefix = jsonread::get<std::string>(value, key, label);
            else if (key == "epochs") o.epochs = jsonread::get<int>(value, key, label);
            else if (key == "checkpoint_epochs") o.checkpointEpochs = jsonread::get<std::vector<int>>(value, key, label);
            else if (key == "population_size") o.populationSize = jsonread::get<int>(value, key, label);
            else if (key == "device") o.device = jsonread::get<std::string>(value, key, label);
            else throw FormatError(label, "unknown key '" + key + "' in the zoo configuration");
        }
    }
    if (o.modelCount() > double(MaxModels))
        throw FormatError(label, tooManyModels(o.modelCount()));
    return o;
}

} // namespace wse
