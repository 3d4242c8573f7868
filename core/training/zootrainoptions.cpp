#include "training/zootrainoptions.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace wse {

std::vector<std::string> knownInits()
{
    return {"uniform", "normal", "kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal"};
}

std::vector<std::string> knownActivations() { return {"tanh", "relu", "sigmoid", "gelu", "silu", "leaky_relu"}; }

std::vector<std::string> knownOptimizers() { return {"adam", "sgd"}; }

ZooTrainOptions ZooTrainOptions::demo()
{
    ZooTrainOptions options;
    options.name = "demo: CNN-s on Fashion-MNIST";
    options.inits = {"uniform", "normal", "kaiming_uniform", "kaiming_normal"};
    options.activations = {"tanh", "relu", "sigmoid", "gelu"};
    options.learningRates = {1e-3};
    options.seeds = {1, 2, 3};
    options.epochs = 8;
    options.batchSize = 10;
    options.data.trainLimit = 5000; // about 2 minutes on 2 CPU cores
    return options;
}

static void checkNames(const std::vector<std::string> &values, const std::vector<std::string> &known,
                       const std::string &axis)
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

std::vector<ModelConfig> ZooTrainOptions::expandGrid() const
{
    checkNames(inits, knownInits(), "init");
    checkNames(activations, knownActivations(), "activation");
    checkNames(optimizers, knownOptimizers(), "optimizer");
    if (learningRates.empty() || weightDecays.empty() || seeds.empty())
        throw UsageError("the learning-rate, weight-decay and seed axes need at least one value each");
    if (epochs < 0 || batchSize < 1 || populationSize < 1)
        throw UsageError("epochs must be >= 0, batch size and population size >= 1");

    std::vector<ModelConfig> configs;
    for (const std::string &activation : activations)
        for (const std::string &optimizer : optimizers)
            for (const std::string &init : inits)
                for (double lr : learningRates)
                    for (double wd : weightDecays)
                        for (int64_t seed : seeds) {
                            ModelConfig config;
                            char id[32];
                            std::snprintf(id, sizeof id, "m%04zu", configs.size());
                            config.id = id;
                            config.init = init;
                            config.activation = activation;
                            config.optimizer = optimizer;
                            config.learningRate = lr;
                            config.weightDecay = wd;
                            config.seed = seed;
                            configs.push_back(config);
                        }
    return configs;
}

std::string ZooTrainOptions::toJson() const
{
    nlohmann::json j;
    j["kind"] = "trained";
    j["name"] = name;
    j["architecture"] = "cnn-s";
    j["dataset"] = {{"name", data.name}, {"root", data.root}, {"train_limit", data.trainLimit},
                    {"test_limit", data.testLimit}, {"split_seed", 42}};
    j["inits"] = inits;
    j["activations"] = activations;
    j["optimizers"] = optimizers;
    j["learning_rates"] = learningRates;
    j["weight_decays"] = weightDecays;
    j["seeds"] = seeds;
    j["epochs"] = epochs;
    j["batch_size"] = batchSize;
    j["population_size"] = populationSize;
    j["device"] = device;
    return j.dump();
}

} // namespace wse
