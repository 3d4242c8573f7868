#include "zoocommands.h"

#include "terminalprogress.h"

#include "common/error.h"
#include "training/zootrainer.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>

namespace wse {

namespace {

struct TrainArguments
{
    ZooTrainOptions options;
    std::string output;
    bool demo = false;
};

void runTrain(const TrainArguments &arguments)
{
    ZooTrainOptions options = arguments.demo ? ZooTrainOptions::demo() : arguments.options;
    if (arguments.demo) // explicit flags still override the preset's data size and schedule
        options.device = arguments.options.device;
    const size_t models = options.expandGrid().size();
    std::cerr << "wse: training " << models << " CNN-s models on " << options.data.name << " for " << options.epochs
              << " epochs -> " << arguments.output << "\n";
    TerminalProgress progress;
    try {
        const Zoo zoo = trainZoo(options, arguments.output, progress.callback());
        std::cerr << "\nwse: wrote " << arguments.output << " (" << zoo.modelCount() << " models, "
                  << zoo.checkpointCount() << " checkpoints)\n";
    } catch (const Cancelled &) {
        std::cerr << "\nwse: cancelled; " << arguments.output << " holds every completed epoch\n";
        throw;
    }
}

struct Range
{
    double low = INFINITY, high = -INFINITY;
    int64_t missing = 0;
};

nlohmann::json describeZoo(const Zoo &zoo, const std::string &path)
{
    nlohmann::json j;
    j["file"] = path;
    j["name"] = zoo.name;
    j["models"] = zoo.modelCount();
    j["checkpoints"] = zoo.checkpointCount();
    for (size_t i = 0; i < zoo.architectures.size(); ++i) {
        const Architecture &arch = zoo.architectures[i];
        j["architectures"].push_back({{"name", arch.name},
                                      {"description", arch.description},
                                      {"parameters", arch.numel()},
                                      {"tensors", arch.tensors.size()},
                                      {"checkpoints", zoo.weights[i].rows}});
    }
    for (const Column &column : zoo.checkpoints.columns()) {
        if (column.name() == zoocol::Model || column.name() == zoocol::WeightRow)
            continue;
        Range range;
        for (double value : column.numbers()) {
            if (std::isnan(value)) {
                ++range.missing;
                continue;
            }
            range.low = std::min(range.low, value);
            range.high = std::max(range.high, value);
        }
        j["metrics"][column.name()] = {{"min", range.low}, {"max", range.high}, {"missing", range.missing}};
    }
    for (const Column &column : zoo.models.columns()) {
        if (column.name() == zoocol::ModelId)
            continue;
        std::map<std::string, int64_t> counts;
        for (int64_t row = 0; row < column.size(); ++row)
            ++counts[column.displayValue(row)];
        j["hyperparameters"][column.name()] = counts;
    }
    return j;
}

void printZooInfo(const nlohmann::json &j)
{
    std::cout << j["file"].get<std::string>() << ": zoo '" << j["name"].get<std::string>() << "'\n"
              << "  models: " << j["models"] << ", checkpoints: " << j["checkpoints"] << "\n"
              << "  architectures:\n";
    for (const auto &arch : j["architectures"])
        std::cout << "    " << arch["name"].get<std::string>() << ": " << arch["parameters"] << " parameters in "
                  << arch["tensors"] << " tensors, " << arch["checkpoints"] << " checkpoints ("
                  << arch["description"].get<std::string>() << ")\n";
    std::cout << "  metrics (min .. max):\n";
    for (const auto &[name, range] : j["metrics"].items()) {
        std::printf("    %-12s %10.4g .. %-10.4g", name.c_str(), range["min"].get<double>(), range["max"].get<double>());
        if (range["missing"].get<int64_t>() > 0)
            std::cout << "  (" << range["missing"] << " missing)";
        std::cout << "\n";
    }
    std::cout << "  hyper-parameters (value: models):\n";
    for (const auto &[name, counts] : j["hyperparameters"].items()) {
        std::cout << "    " << name << ":";
        for (const auto &[value, count] : counts.items())
            std::cout << " " << value << " (" << count << ")";
        std::cout << "\n";
    }
}

} // namespace

void addZooCommands(CLI::App &app)
{
    CLI::App *zoo = app.add_subcommand("zoo", "Create and inspect model zoos");
    zoo->require_subcommand(1);

    auto train = std::make_shared<TrainArguments>();
    CLI::App *trainCommand = zoo->add_subcommand("train", "Train a zoo of CNN-s models over a grid of hyper-parameters");
    ZooTrainOptions &o = train->options;
    trainCommand->add_option("-o,--output", train->output, "Zoo file to write (HDF5)")->required();
    trainCommand->add_flag("--demo", train->demo, "Use the demo preset (4 inits x 4 activations x 3 seeds, 5 epochs)");
    trainCommand->add_option("--name", o.name, "Zoo name stored in the file")->capture_default_str();
    trainCommand->add_option("--dataset", o.data.name, "Dataset: fashion-mnist or mnist")->capture_default_str();
    trainCommand->add_option("--data-root", o.data.root, "Folder with the dataset's IDX files (default: Debian's)");
    trainCommand->add_option("--train-limit", o.data.trainLimit, "Use only the first N training images (0 = all)")
        ->capture_default_str();
    trainCommand->add_option("--test-limit", o.data.testLimit, "Use only the first N test images (0 = all)")
        ->capture_default_str();
    trainCommand->add_option("--init", o.inits, "Init schemes (uniform normal kaiming_uniform kaiming_normal xavier_uniform xavier_normal)")
        ->capture_default_str();
    trainCommand->add_option("--activation", o.activations, "Activations (tanh relu sigmoid gelu silu leaky_relu)")
        ->capture_default_str();
    trainCommand->add_option("--optimizer", o.optimizers, "Optimizers (adam sgd)")->capture_default_str();
    trainCommand->add_option("--lr", o.learningRates, "Learning rates")->capture_default_str();
    trainCommand->add_option("--weight-decay", o.weightDecays, "Weight decays (L2)")->capture_default_str();
    trainCommand->add_option("--seed", o.seeds, "Seeds")->capture_default_str();
    trainCommand->add_option("--epochs", o.epochs, "Training epochs (checkpoints 0..epochs)")->capture_default_str();
    trainCommand->add_option("--batch-size", o.batchSize, "Batch size")->capture_default_str();
    trainCommand->add_option("--population", o.populationSize, "Models advanced together per step")
        ->capture_default_str();
    trainCommand->add_option("--device", o.device, "auto, cpu or cuda")->capture_default_str();
    trainCommand->callback([train] { runTrain(*train); });

    auto infoPath = std::make_shared<std::string>();
    auto infoJson = std::make_shared<bool>(false);
    CLI::App *info = zoo->add_subcommand("info", "Summarise a zoo file: models, architectures, metric ranges, hyper-parameters");
    info->add_option("file", *infoPath, "Zoo file (HDF5)")->required();
    info->add_flag("--json", *infoJson, "Print JSON");
    info->callback([infoPath, infoJson] {
        const nlohmann::json j = describeZoo(ZooStore::read(*infoPath, /*withWeights=*/false), *infoPath);
        if (*infoJson)
            std::cout << j.dump(2) << "\n";
        else
            printZooInfo(j);
    });
}

} // namespace wse
