#include "layerscommand.h"

#include "analysis/layerstatistics.h"
#include "common/error.h"
#include "zoo/zoocheckpoints.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace wse {

namespace {

struct LayersArguments
{
    std::string zoo;
    std::vector<std::string> checkpoints;
    bool json = false;
};

void printSummaries(const Architecture &arch, const std::vector<LayerSummary> &layers, bool asJson)
{
    if (asJson) {
        nlohmann::ordered_json j = nlohmann::ordered_json::array();
        for (const LayerSummary &l : layers)
            j.push_back({{"layer", l.key}, {"shape", l.shape}, {"mean", l.mean}, {"std", l.std}, {"min", l.minimum},
                         {"max", l.maximum}, {"norm", l.norm}, {"near_zero", l.nearZero}});
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::printf("%-40s %-16s %10s %10s %10s %10s %10s %9s\n", "layer", "shape", "mean", "std", "min", "max", "norm",
                "near zero");
    for (const LayerSummary &l : layers)
        std::printf("%-40s %-16s %10.4g %10.4g %10.4g %10.4g %10.4g %8.1f%%\n", l.key.c_str(), l.shape.c_str(), l.mean,
                    l.std, l.minimum, l.maximum, l.norm, l.nearZero * 100);
    std::printf("%s: %lld parameters\n", arch.name.c_str(), static_cast<long long>(arch.numel()));
}

void printDifferences(const std::vector<LayerDifference> &layers, bool asJson)
{
    if (asJson) {
        nlohmann::ordered_json j = nlohmann::ordered_json::array();
        for (const LayerDifference &l : layers)
            j.push_back({{"layer", l.key}, {"shape", l.shape}, {"norm_a", l.normA}, {"norm_b", l.normB},
                         {"distance", l.distance}, {"relative", l.relative}, {"cosine", l.cosine}});
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::printf("%-40s %-16s %10s %10s %10s %10s %8s\n", "layer", "shape", "norm A", "norm B", "distance", "relative",
                "cosine");
    for (const LayerDifference &l : layers)
        std::printf("%-40s %-16s %10.4g %10.4g %10.4g %10.4g %8.4f\n", l.key.c_str(), l.shape.c_str(), l.normA, l.normB,
                    l.distance, l.relative, l.cosine);
}

void showLayers(const LayersArguments &arguments)
{
    const Zoo zoo = ZooStore::read(arguments.zoo, /*withWeights=*/false);
    const int64_t first = findCheckpoint(zoo, arguments.checkpoints.front());
    const Architecture &arch = zoo.architectures.at(size_t(zoo.checkpointArchitecture(first)));
    const std::vector<float> a = checkpointWeights(zoo, arguments.zoo, first);
    if (arguments.checkpoints.size() == 1) {
        printSummaries(arch, layerSummaries(arch, a.data()), arguments.json);
        return;
    }
    const int64_t second = findCheckpoint(zoo, arguments.checkpoints[1]);
    if (zoo.checkpointArchitecture(second) != zoo.checkpointArchitecture(first))
        throw UsageError(arguments.checkpoints[0] + " and " + arguments.checkpoints[1] +
                         " have different architectures: nothing to compare layer by layer");
    const std::vector<float> b = checkpointWeights(zoo, arguments.zoo, second);
    printDifferences(layerDifferences(arch, a.data(), b.data()), arguments.json);
}

} // namespace

void addZooLayersCommand(CLI::App &zoo)
{
    auto arguments = std::make_shared<LayersArguments>();
    CLI::App *command = zoo.add_subcommand(
        "layers", "Per-layer statistics of a checkpoint (shape, mean, std, range, norm, near-zero share), or two "
                  "checkpoints compared layer by layer (norms, distance, relative distance, cosine): the Layers panel");
    command->add_option("zoo", arguments->zoo, "Zoo file")->required();
    command->add_option("checkpoints", arguments->checkpoints, "MODEL:EPOCH, or two to compare")->required()->expected(1, 2);
    command->add_flag("--json", arguments->json, "Print JSON");
    command->callback([arguments] { showLayers(*arguments); });
}

} // namespace wse
