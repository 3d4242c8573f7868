#pragma once
// What to train: the variation axes (as a grid or a random search), the data and the schedule.
// Every value of every axis is recorded per model in the zoo.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct ModelConfig
{
    std::string id;
    std::string dataset;
    std::string init;
    std::string activation;
    std::string optimizer; // adam, adamw, sgd (momentum 0.9)
    double learningRate = 3e-4;
    double weightDecay = 0.0;
    double dropout = 0.0;
    int batchSize = 10;
    int64_t seed = 1;
};

struct ZooTrainOptions
{
    // The most models one zoo job trains (the largest official zoo has 2,560); checked before the
    // model list is made, so that a typo such as 2^31 models is an error, not an exhausted memory.
    static constexpr int64_t MaxModels = 1000000;
    // How many models the options describe (a grid's product of axes, or a random search's count).
    double modelCount() const;

    std::string name = "zoo";
    std::string architecture = "cnn-s"; // cnn-s, cnn-l, mlp, resnet-18
    std::vector<std::string> datasets = {"fashion-mnist"};
    std::string dataRoot;               // for datasets that need a folder
    int64_t trainLimit = 0;             // first N training items (0 = all)
    int64_t testLimit = 0;              // first N test items (0 = all)

    std::vector<std::string> inits = {"kaiming_uniform"};
    std::vector<std::string> activations = {"tanh"};
    std::vector<std::string> optimizers = {"adam"};
    std::vector<double> learningRates = {3e-4};
    std::vector<double> weightDecays = {0.0};
    std::vector<double> dropouts = {0.0};
    std::vector<int> batchSizes = {10};
    std::vector<int64_t> seeds = {1};
    int seedsPerConfig = 0;       // > 0: that many random seeds in [0, 1e6) per configuration (Hyp-rand)

    std::string search = "grid";  // grid: every combination; random: `models` random combinations
    int models = 0;               // random search: how many models
    int64_t searchSeed = 0;       // random search and random seeds are drawn from this
    // Model ids are PREFIX00000, PREFIX00001, ...: zoos grown separately (job arrays) and merged
    // later need prefixes of their own.
    std::string idPrefix = "m";

    int epochs = 5;                      // training epochs
    std::vector<int> checkpointEpochs;   // epochs to store (0 = initialisation); empty = every epoch
    int populationSize = 64;             // at most this many models advance together per step
    std::string device = "auto";

    static ZooTrainOptions defaults() { return {}; }
    // The explorer's demo zoo: CNN-s on Fashion-MNIST and the UCI digits, 4 inits x 4
    // activations x Adam/AdamW x 2 seeds, 8 epochs on 3000-image subsets.
    static ZooTrainOptions demo();
    // The official F-MNIST configurations (model-zoo-spec §3): "seed" (1000 seeds of one config),
    // "hyp-fix" (256 configs x seeds 1..10) and "hyp-rand" (256 configs x 10 random seeds).
    static ZooTrainOptions preset(const std::string &name);
    static std::vector<std::string> presetNames();

    bool storesEpoch(int epoch) const;
    // The models to train, in a stable order. Throws UsageError on an empty axis or unknown names.
    std::vector<ModelConfig> expandModels() const;
    std::string toJson() const; // canonical: the same options give the same text
    // Options from JSON with toJson()'s keys; keys not given keep `base`'s values. Throws
    // FormatError naming `label` for unknown keys or wrong types.
    static ZooTrainOptions fromJson(const std::string &text, const std::string &label, ZooTrainOptions base);
};

std::vector<std::string> knownInits();
std::vector<std::string> knownActivations();
std::vector<std::string> knownOptimizers();

} // namespace wse
