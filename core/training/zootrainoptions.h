#pragma once
// What to train: a grid over the variation axes, the data and the schedule. Every value of every
// axis is recorded per model in the zoo.
#include "data/datasets.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct ModelConfig
{
    std::string id;
    std::string init;
    std::string activation;
    std::string optimizer;
    double learningRate = 3e-4;
    double weightDecay = 0.0;
    int64_t seed = 1;
};

struct ZooTrainOptions
{
    std::string name = "zoo";
    DatasetOptions data;
    std::vector<std::string> inits = {"kaiming_uniform"};
    std::vector<std::string> activations = {"tanh"};
    std::vector<std::string> optimizers = {"adam"};
    std::vector<double> learningRates = {3e-4};
    std::vector<double> weightDecays = {0.0};
    std::vector<int64_t> seeds = {1};
    int epochs = 5;             // checkpoints 0 (initialisation) .. epochs
    int batchSize = 10;         // official zoos: 10
    int populationSize = 64;    // models advanced together in one step
    std::string device = "auto";

    static ZooTrainOptions defaults() { return {}; }
    // The explorer's demo zoo: 4 inits x 4 activations x 3 seeds on a Fashion-MNIST subset.
    static ZooTrainOptions demo();

    // Every combination of the axes, in a stable order. Throws UsageError on an empty axis or an
    // unknown init/activation/optimizer name.
    std::vector<ModelConfig> expandGrid() const;
    std::string toJson() const;
};

std::vector<std::string> knownInits();
std::vector<std::string> knownActivations();
std::vector<std::string> knownOptimizers();

} // namespace wse
