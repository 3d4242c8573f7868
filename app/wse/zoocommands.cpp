#include "zoocommands.h"

#include "layerscommand.h"
#include "metricscommand.h"
#include "prunecommand.h"
#include "terminalprogress.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/filekind.h"
#include "common/textfile.h"
#include "training/zootrainer.h"
#include "training/zooshards.h"
#include "zoo/zoomerge.h"
#include "distributed/distributed.h"
#include "zoo/officialimport.h"
#include "zoo/zoocheckpoints.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>

namespace wse {

namespace {

struct TrainArguments
{
    ZooTrainOptions options;
    std::string output, config, preset;
    bool demo = false;
};

// The base (demo preset, official preset or JSON config, else defaults), then every option
// given on the command line on top.
ZooTrainOptions resolveTrainOptions(const TrainArguments &arguments, const CLI::App &command)
{
    if (int(arguments.demo) + int(!arguments.preset.empty()) + int(!arguments.config.empty()) > 1)
        throw UsageError("use only one of --demo, --preset and --config");
    ZooTrainOptions options = arguments.demo              ? ZooTrainOptions::demo()
                              : !arguments.preset.empty() ? ZooTrainOptions::preset(arguments.preset)
                                                          : ZooTrainOptions();
    if (!arguments.config.empty())
        options = ZooTrainOptions::fromJson(readTextFile(arguments.config), arguments.config, ZooTrainOptions());
    const ZooTrainOptions &given = arguments.options;
    auto isGiven = [&command](const char *name) { return command.count(name) > 0; };
    if (isGiven("--name")) options.name = given.name;
    if (isGiven("--architecture")) options.architecture = given.architecture;
    if (isGiven("--dataset")) options.datasets = given.datasets;
    if (isGiven("--data-root")) options.dataRoot = given.dataRoot;
    if (isGiven("--train-limit")) options.trainLimit = given.trainLimit;
    if (isGiven("--test-limit")) options.testLimit = given.testLimit;
    if (isGiven("--init")) options.inits = given.inits;
    if (isGiven("--activation")) options.activations = given.activations;
    if (isGiven("--optimizer")) options.optimizers = given.optimizers;
    if (isGiven("--lr")) options.learningRates = given.learningRates;
    if (isGiven("--weight-decay")) options.weightDecays = given.weightDecays;
    if (isGiven("--dropout")) options.dropouts = given.dropouts;
    if (isGiven("--batch-size")) options.batchSizes = given.batchSizes;
    if (isGiven("--seed")) options.seeds = given.seeds;
    if (isGiven("--seeds-per-config")) options.seedsPerConfig = given.seedsPerConfig;
    if (isGiven("--search")) options.search = given.search;
    if (isGiven("--models")) options.models = given.models;
    if (isGiven("--search-seed")) options.searchSeed = given.searchSeed;
    if (isGiven("--id-prefix")) options.idPrefix = given.idPrefix;
    if (isGiven("--epochs")) options.epochs = given.epochs;
    if (isGiven("--checkpoint-epochs")) options.checkpointEpochs = given.checkpointEpochs;
    if (isGiven("--population")) options.populationSize = given.populationSize;
    if (isGiven("--device")) options.device = given.device;
    return options;
}

// Under torchrun or srun: each process trains the populations it owns; the first joins the parts.
Zoo trainZooSharded(const ZooTrainOptions &options, const std::string &output, const DistributedContext &world,
                    TerminalProgress &progress)
{
    std::cerr << "wse: " << world.describe() << "\n";
    ProcessGroup group(world, "cpu");
    Zoo zoo = trainZoo(options, output, progress.callback(), {world.rank, world.worldSize});
    group.barrier(); // every part is complete
    if (world.leader() && !std::filesystem::exists(output))
        zoo = assembleZooParts(options, output, world.worldSize);
    group.barrier(); // the zoo is written when any process returns
    return world.leader() ? zoo : ZooStore::read(output, false);
}

void runTrain(const TrainArguments &arguments, const CLI::App &command)
{
    const ZooTrainOptions options = resolveTrainOptions(arguments, command);
    const size_t models = options.expandModels().size();
    std::string datasets;
    for (const std::string &name : options.datasets)
        datasets += (datasets.empty() ? "" : " + ") + name;
    std::cerr << "wse: training " << models << " " << options.architecture << " models on " << datasets << " for "
              << options.epochs << " epochs -> " << arguments.output << "\n";
    TerminalProgress progress;
    const DistributedContext world = DistributedContext::fromEnvironment();
    try {
        const Zoo zoo = world.active() ? trainZooSharded(options, arguments.output, world, progress)
                                       : trainZoo(options, arguments.output, progress.callback());
        if (!world.leader())
            return; // the first process wrote the zoo and says so
        noteWritten(arguments.output);
        std::cerr << "\nwse: wrote " << arguments.output << " (" << zoo.modelCount() << " models, "
                  << zoo.checkpointCount() << " checkpoints)\n";
    } catch (const Cancelled &) {
        std::cerr << "\nwse: stopped; " << arguments.output << " holds every completed epoch. Run the same command "
                     "again to resume.\n";
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
        if (Zoo::isBookkeepingColumn(column.name()))
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
        if (Zoo::isBookkeepingColumn(column.name()))
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

void addZooImportExportCommands(CLI::App &zooCommand)
{
    struct ImportArguments
    {
        std::string folder, output;
    };
    auto import = std::make_shared<ImportArguments>();
    CLI::App *importCommand = zooCommand.add_subcommand("import", "Import a zoo in the official Model Zoos (Ray Tune) layout");
    importCommand->add_option("folder", import->folder, "Zoo folder: one sub-folder per model with params.json, "
                                                        "result.json and checkpoint_<n>/checkpoints")->required();
    importCommand->add_option("-o,--output", import->output, "Zoo file to write (HDF5)")->required();
    importCommand->callback([import] {
        ImportReport report;
        Zoo zoo;
        {
            TerminalProgress progress;
            zoo = importOfficialZoo(import->folder, report, progress.callback());
        }
        ZooStore::write(zoo, import->output);
        noteWritten(import->output);
        std::cerr << "wse: imported " << report.modelsImported << " of " << report.modelsFound << " models ("
                  << report.checkpointsImported << " checkpoints) -> " << import->output << "\n";
        if (!report.skipped.empty()) {
            std::cerr << "wse: skipped " << report.skipped.size() << " models:\n";
            for (const auto &[folder, reason] : report.skipped)
                std::cerr << "  " << folder << ": " << reason << "\n";
        }
    });

    struct ExportArguments
    {
        std::string zoo, model, output;
        int epoch = 0;
        bool provenance = false;
    };
    auto exportArgs = std::make_shared<ExportArguments>();
    CLI::App *exportCommand = zooCommand.add_subcommand("export", "Write one checkpoint of a zoo as a PyTorch .pt state_dict or a .safetensors file");
    exportCommand->add_option("zoo", exportArgs->zoo, "Zoo file")->required();
    exportCommand->add_option("--model", exportArgs->model, "Model id (see wse zoo info --json, or the explorer)")->required();
    exportCommand->add_option("--epoch", exportArgs->epoch, "Epoch")->required();
    exportCommand->add_option("-o,--output", exportArgs->output, "Checkpoint to write (.pt, or .safetensors)")->required();
    exportCommand->add_flag("--provenance", exportArgs->provenance,
                            "Also write OUT.pt.json: the zoo, how it was made, and the checkpoint's hyper-parameters and metrics");
    exportCommand->callback([exportArgs] {
        const StateDict sd = exportCheckpointFile(exportArgs->zoo, exportArgs->model, exportArgs->epoch,
                                                  exportArgs->output, exportArgs->provenance);
        noteWritten(exportArgs->output);
        std::cerr << "wse: wrote " << exportArgs->output << (exportArgs->provenance ? " and its .json" : "") << " ("
                  << sd.entries.size() << " tensors, " << sd.numel()
                  << " values; load with model.load_state_dict(torch.load(path)))\n";
    });

    struct AddArguments
    {
        std::string zoo;
        std::vector<std::string> files, meta;
    };
    auto add = std::make_shared<AddArguments>();
    CLI::App *addCommand = zooCommand.add_subcommand("add", "Add checkpoints (.pt or .safetensors) to a zoo, one model each");
    addCommand->add_option("zoo", add->zoo, "Zoo file (updated in place, atomically)")->required();
    addCommand->add_option("files", add->files, "Checkpoints (.pt or .safetensors)")->required();
    addCommand->add_option("--meta", add->meta, "key=value for the new models (epoch and metrics go to the checkpoint)");
    addCommand->callback([add] {
        std::vector<std::pair<std::string, std::string>> meta;
        for (const std::string &item : add->meta) {
            const size_t equals = item.find('=');
            if (equals == std::string::npos || equals == 0)
                throw UsageError("--meta wants key=value, got '" + item + "'");
            meta.emplace_back(item.substr(0, equals), item.substr(equals + 1));
        }
        const std::vector<std::string> ids = addCheckpoints(add->zoo, add->files, meta);
        std::cerr << "wse: added " << ids.size() << " models to " << add->zoo << ":";
        for (const std::string &id : ids)
            std::cerr << " " << id;
        std::cerr << "\n";
    });

    struct MergeArguments
    {
        std::vector<std::string> zoos;
        std::string output;
    };
    auto merge = std::make_shared<MergeArguments>();
    CLI::App *mergeCommand = zooCommand.add_subcommand(
        "merge", "Join zoos grown separately (e.g. by the tasks of a Slurm job array) into one; model ids must not repeat");
    mergeCommand->add_option("zoos", merge->zoos, "Zoo files (.h5), joined in this order")->required()->expected(2, -1);
    mergeCommand->add_option("-o,--output", merge->output, "The joined zoo (.h5)")->required();
    mergeCommand->callback([merge] {
        checkOutputPath(merge->output, merge->zoos);
        const Zoo zoo = mergeZoos(merge->zoos);
        ZooStore::write(zoo, merge->output);
        noteWritten(merge->output);
        std::cerr << "wse: wrote " << merge->output << " (" << zoo.modelCount() << " models, " << zoo.checkpointCount()
                  << " checkpoints from " << merge->zoos.size() << " zoos)\n";
    });
}

} // namespace

void addZooCommands(CLI::App &app)
{
    CLI::App *zoo = app.add_subcommand("zoo", "Create and inspect model zoos");
    zoo->require_subcommand(1);
    addZooLayersCommand(*zoo);

    auto train = std::make_shared<TrainArguments>();
    CLI::App *trainCommand = zoo->add_subcommand(
        "train", "Train a zoo over variation axes (grid or random search); re-run to resume after an interruption");
    ZooTrainOptions &o = train->options;
    trainCommand->add_option("-o,--output", train->output, "Zoo file to write (HDF5)")->required();
    trainCommand->add_flag("--demo", train->demo, "Start from the demo preset; other options override it");
    trainCommand->add_option("--preset", train->preset, "Start from an official F-MNIST configuration: seed, hyp-fix, hyp-rand");
    trainCommand->add_option("--config", train->config, "Start from a JSON configuration (keys as in the zoo's provenance)");
    trainCommand->add_option("--name", o.name, "Zoo name stored in the file")->capture_default_str();
    trainCommand->add_option("--architecture", o.architecture, "cnn-s, cnn-l, mlp or resnet-18 (ReLU, no dropout: the official ResNet ignores both)")->capture_default_str();
    trainCommand->add_option("--dataset", o.datasets, "fashion-mnist digits mnist cifar10 cifar100 svhn iris wine breast-cancer")
        ->capture_default_str();
    trainCommand->add_option("--data-root", o.dataRoot, "Folder with the files of datasets Debian does not ship");
    trainCommand->add_option("--train-limit", o.trainLimit, "Use only the first N training items (0 = all)")->capture_default_str();
    trainCommand->add_option("--test-limit", o.testLimit, "Use only the first N test items (0 = all)")->capture_default_str();
    trainCommand->add_option("--init", o.inits, "uniform normal kaiming_uniform kaiming_normal xavier_uniform xavier_normal "
                                                "orthogonal truncated_normal")->capture_default_str();
    trainCommand->add_option("--activation", o.activations, "tanh relu sigmoid gelu silu leaky_relu")->capture_default_str();
    trainCommand->add_option("--optimizer", o.optimizers, "adam adamw sgd")->capture_default_str();
    trainCommand->add_option("--lr", o.learningRates, "Learning rates")->capture_default_str();
    trainCommand->add_option("--weight-decay", o.weightDecays, "Weight decays")->capture_default_str();
    trainCommand->add_option("--dropout", o.dropouts, "Dropout probabilities")->capture_default_str();
    trainCommand->add_option("--batch-size", o.batchSizes, "Batch sizes")->capture_default_str();
    trainCommand->add_option("--seed", o.seeds, "Seeds")->capture_default_str();
    trainCommand->add_option("--seeds-per-config", o.seedsPerConfig, "Random seeds per configuration instead of --seed");
    trainCommand->add_option("--search", o.search, "grid (every combination) or random")->capture_default_str();
    trainCommand->add_option("--models", o.models, "Random search: number of models");
    trainCommand->add_option("--search-seed", o.searchSeed, "Seed of the random search and random seeds")->capture_default_str();
    trainCommand->add_option("--id-prefix", o.idPrefix, "Model ids are PREFIX00000, PREFIX00001, ... (zoos to merge later need "
                                                        "prefixes of their own, e.g. task$SLURM_ARRAY_TASK_ID-)")
        ->capture_default_str();
    trainCommand->add_option("--epochs", o.epochs, "Training epochs")->capture_default_str();
    trainCommand->add_option("--checkpoint-epochs", o.checkpointEpochs, "Epochs to store (0 = initialisation; default every epoch)");
    trainCommand->add_option("--population", o.populationSize, "Models advanced together per step")->capture_default_str();
    trainCommand->add_option("--device", o.device, "auto, cpu or cuda")->capture_default_str();
    trainCommand->callback([train, trainCommand] { runTrain(*train, *trainCommand); });

    auto infoPath = std::make_shared<std::string>();
    auto infoJson = std::make_shared<bool>(false);
    CLI::App *info = zoo->add_subcommand("info", "Summarise a zoo file: models, architectures, metric ranges, hyper-parameters");
    info->add_option("file", *infoPath, "Zoo file (HDF5)")->required();
    info->add_flag("--json", *infoJson, "Print JSON");
    addZooImportExportCommands(*zoo);
    addZooMetricsCommand(*zoo);
    addZooPruneCommand(*zoo);

    info->callback([infoPath, infoJson] { printZooSummary(*infoPath, *infoJson); });
}

void printZooSummary(const std::string &path, bool asJson)
{
    const nlohmann::json j = describeZoo(ZooStore::read(path, /*withWeights=*/false), path);
    if (asJson)
        std::cout << j.dump(2) << "\n";
    else
        printZooInfo(j);
}

} // namespace wse
