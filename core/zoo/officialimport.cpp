#include "zoo/officialimport.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/textfile.h"
#include "zoo/architecture.h"
#include "zoo/sparsified.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace wse {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

json parseJson(const std::string &text, const std::string &label)
{
    try {
        return json::parse(pythonJsonToStrictJson(text));
    } catch (const json::exception &error) {
        throw FormatError(label, std::string("invalid JSON: ") + error.what());
    }
}

double metricValue(const json &value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_string() && (value == "Infinity" || value == "-Infinity"))
        return value == "Infinity" ? INFINITY : -INFINITY;
    return NAN; // null (NaN in Python) or missing
}

// The dataset a zoo was trained on, from the official experiment folder names.
std::string datasetFromFolderName(const std::string &name)
{
    static const std::vector<std::pair<std::string, std::string>> patterns = {
        {"f_mnist", "fashion-mnist"}, {"fmnist", "fashion-mnist"}, {"fashion", "fashion-mnist"},
        {"mnist", "mnist"}, {"svhn", "svhn"}, {"usps", "usps"}, {"cifar100", "cifar-100"},
        {"cifar10", "cifar-10"}, {"stl", "stl-10"}, {"tinyimagenet", "tiny-imagenet"}, {"eurosat", "eurosat"}};
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const auto &[pattern, dataset] : patterns)
        if (lower.find(pattern) != std::string::npos)
            return dataset;
    return name;
}

struct ModelFiles
{
    fs::path folder;
    std::vector<std::pair<int, fs::path>> checkpoints; // epoch, file
};

std::vector<std::pair<int, fs::path>> findCheckpoints(const fs::path &folder)
{
    static const std::regex pattern("checkpoint_0*([0-9]{1,9})"); // longer numbers are no epochs
    std::map<int, fs::path> byEpoch;
    for (const fs::directory_entry &entry : fs::directory_iterator(folder)) {
        std::smatch match;
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory() || !std::regex_match(name, match, pattern))
            continue;
        const int epoch = std::stoi(match[1].str());
        const fs::path file = entry.path() / "checkpoints";
        // The official loader tries checkpoint_<n> before checkpoint_<n:06d>; keep the first found.
        if (fs::is_regular_file(file) && (!byEpoch.count(epoch) || name == "checkpoint_" + std::to_string(epoch)))
            byEpoch[epoch] = file;
    }
    return {byEpoch.begin(), byEpoch.end()};
}

// Metrics per training_iteration from result.json (JSON lines).
std::map<int, json> readResults(const fs::path &file)
{
    std::map<int, json> results;
    std::istringstream lines(readTextFile(file.string()));
    std::string line;
    int lineNumber = 0;
    while (std::getline(lines, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const json record = parseJson(line, file.string() + ":" + std::to_string(lineNumber));
        if (!record.contains("training_iteration") || !record["training_iteration"].is_number_integer())
            throw FormatError(file.string(), "line " + std::to_string(lineNumber) + " has no training_iteration");
        results[record["training_iteration"].get<int>()] = record;
    }
    return results;
}

Architecture architectureFor(const StateDict &stateDict, const json &params)
{
    std::vector<std::vector<int64_t>> shapes;
    for (const auto &entry : stateDict.entries)
        shapes.push_back(entry.second.shape);
    for (int channels : {1, 3}) {
        const Architecture known = cnnSmall(channels);
        bool same = known.tensors.size() == shapes.size();
        for (size_t i = 0; same && i < shapes.size(); ++i)
            same = known.tensors[i].shape == shapes[i];
        if (same)
            return known; // canonical (dropout-free) keys; the model keeps its own in state_dict_keys
    }
    Architecture custom;
    const std::string type = params.value("model::type", std::string("custom"));
    custom.name = type;
    std::transform(custom.name.begin(), custom.name.end(), custom.name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    custom.description = "imported " + type + " (" + std::to_string(stateDict.numel()) + " parameters)";
    for (const auto &entry : stateDict.entries)
        custom.tensors.push_back({entry.first, entry.second.shape});
    return custom;
}

void appendParameter(std::vector<std::pair<std::string, Table::Value>> &row, Table &models, const std::string &key,
                     const json &value)
{
    const std::string column = columnForOfficialParameter(key);
    if (value.is_null())
        return;
    if (value.is_number()) {
        row.emplace_back(column, value.get<double>());
        return;
    }
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (const Column *existing = models.find(column); existing && !existing->isText())
        models.convertToText(column); // e.g. a number in one model, text in another
    row.emplace_back(column, text);
}

} // namespace

std::string pythonJsonToStrictJson(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out.push_back(c);
            if (c == '\\' && i + 1 < text.size())
                out.push_back(text[++i]);
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            out.push_back(c);
        } else if (text.compare(i, 3, "NaN") == 0) {
            out += "null";
            i += 2;
        } else if (text.compare(i, 8, "Infinity") == 0) {
            out += "\"Infinity\"";
            i += 7;
        } else if (text.compare(i, 9, "-Infinity") == 0) {
            out += "\"-Infinity\"";
            i += 8;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string columnForOfficialParameter(const std::string &name)
{
    static const std::map<std::string, std::string> names = {
        {"model::nlin", "activation"},   {"model::init_type", "init"},      {"optim::optimizer", "optimizer"},
        {"optim::lr", "lr"},             {"optim::wd", "weight_decay"},     {"model::dropout", "dropout"},
        {"training::batchsize", "batch_size"}, {"training::epochs_train", "epochs"},
        {"model::type", "model_type"},   {"model::channels_in", "channels_in"}, {"optim::momentum", "momentum"}};
    const auto it = names.find(name);
    return it == names.end() ? name : it->second;
}

namespace {

// One trial folder of an official zoo, read and checked: its parameters, metrics per epoch and
// the state_dict of every checkpoint (all of the same tensors, none diverged).
struct ModelFolder
{
    fs::path folder;
    json params;
    std::map<int, json> results;
    std::vector<std::pair<int, fs::path>> checkpointFiles;
    std::vector<StateDict> states;
    std::vector<double> sparsity; // per checkpoint: masked share of a sparsified zoo's weights; -1 for dense ones
};

constexpr const char *Metrics[] = {"train_loss", "train_acc", "test_loss", "test_acc", "val_loss", "val_acc", "sparsity_ratio"};

std::vector<fs::path> findModelFolders(const fs::path &root, const std::string &folderPath)
{
    std::error_code error;
    if (!fs::is_directory(root, error))
        throw IoError(folderPath, "not a folder");
    std::vector<fs::path> modelFolders;
    if (fs::is_regular_file(root / "params.json"))
        modelFolders.push_back(root); // a single trial folder
    else
        for (const fs::directory_entry &entry : fs::directory_iterator(root))
            if (entry.is_directory() && fs::is_regular_file(entry.path() / "params.json"))
                modelFolders.push_back(entry.path());
    std::sort(modelFolders.begin(), modelFolders.end());
    if (modelFolders.empty())
        throw IoError(folderPath, "no model folders found (expected sub-folders with params.json, result.json and "
                                  "checkpoint_<n>/checkpoints, as in the official Model Zoos)");
    return modelFolders;
}

ModelFolder readModelFolder(const fs::path &folder)
{
    ModelFolder model;
    model.folder = folder;
    model.params = parseJson(readTextFile((folder / "params.json").string()), (folder / "params.json").string());
    if (!model.params.is_object())
        throw FormatError((folder / "params.json").string(), "is not a JSON object");
    if (!fs::is_regular_file(folder / "result.json"))
        throw FormatError(folder.string(), "missing metrics (no result.json)");
    model.results = readResults(folder / "result.json");
    model.checkpointFiles = findCheckpoints(folder);
    if (model.checkpointFiles.empty())
        throw FormatError(folder.string(), "no checkpoint_<n>/checkpoints files");
    for (const auto &[epoch, file] : model.checkpointFiles) {
        StateDict sd = readCheckpoint(file.string());
        model.sparsity.push_back(applyVariationalDropoutMasks(sd, file.string())); // sparsified zoos: their masks applied
        if (!model.states.empty() && sd.entries.size() != model.states.front().entries.size())
            throw FormatError(file.string(), "has a different set of tensors than the model's other checkpoints");
        for (const auto &[key, tensor] : sd.entries) {
            const std::vector<float> values = tensor.toFloat();
            if (std::any_of(values.begin(), values.end(), [](float v) { return std::isnan(v); }))
                throw FormatError(file.string(), "NaN in weights of '" + key + "' (diverged model)");
        }
        if (!model.results.count(epoch))
            throw FormatError((folder / "result.json").string(), "no metrics for epoch " + std::to_string(epoch));
        model.states.push_back(std::move(sd));
    }
    return model;
}

// The model's architecture in the zoo (added when new) and its row of the models table.
int addModelRow(Zoo &zoo, const ModelFolder &model, const std::string &dataset)
{
    const StateDict &first = model.states.front();
    std::vector<std::vector<int64_t>> shapes;
    for (const auto &entry : first.entries)
        shapes.push_back(entry.second.shape);
    int archIndex = zoo.architectureWithShapes(shapes);
    if (archIndex < 0)
        archIndex = zoo.addArchitecture(architectureFor(first, model.params));
    const Architecture &stored = zoo.architectures[size_t(archIndex)];
    // The model's own key names, when they differ (e.g. dropout-shifted CNN-s indices).
    json keys = json::array();
    bool sameKeys = true;
    for (size_t t = 0; t < first.entries.size(); ++t) {
        keys.push_back(first.entries[t].first);
        sameKeys = sameKeys && first.entries[t].first == stored.tensors[t].key;
    }
    std::vector<std::pair<std::string, Table::Value>> row = {
        {zoocol::ModelId, model.folder.filename().string()}, {zoocol::Architecture, stored.name}, {"dataset", dataset},
        {zoocol::Source, fs::absolute(model.folder).lexically_normal().string()},
        {zoocol::StateDictKeys, sameKeys ? std::string() : keys.dump()}};
    for (const auto &[key, value] : model.params.items())
        if (key != "dataset::dump")
            appendParameter(row, zoo.models, key, value);
    zoo.models.appendRow(row);
    return archIndex;
}

// Each checkpoint's weights (in order of appearance) and metrics, and the metrics of every epoch.
void addCheckpointRows(Zoo &zoo, const ModelFolder &model, int archIndex, int64_t modelIndex)
{
    WeightMatrix &matrix = zoo.weights[size_t(archIndex)];
    for (size_t c = 0; c < model.states.size(); ++c) {
        const int epoch = model.checkpointFiles[c].first;
        std::vector<float> flat;
        flat.reserve(size_t(matrix.cols));
        for (const auto &entry : model.states[c].entries) {
            const std::vector<float> values = entry.second.toFloat();
            flat.insert(flat.end(), values.begin(), values.end());
        }
        const int64_t weightRow = matrix.rows;
        matrix.appendRow(flat.data());
        const json &metrics = model.results.at(epoch);
        std::vector<std::pair<std::string, Table::Value>> checkpoint = {
            {zoocol::Model, modelIndex}, {zoocol::Epoch, epoch}, {zoocol::WeightRow, weightRow}};
        for (const char *metric : Metrics)
            if (metrics.contains(metric))
                checkpoint.emplace_back(metric, metricValue(metrics[metric]));
        checkpoint.emplace_back("ggap", metricValue(metrics.value("train_acc", json())) -
                                            metricValue(metrics.value("test_acc", json())));
        if (model.sparsity[c] >= 0)
            checkpoint.emplace_back("sparsity", model.sparsity[c]);
        zoo.checkpoints.appendRow(checkpoint);
    }
    for (const auto &[epoch, metrics] : model.results) {
        std::vector<std::pair<std::string, Table::Value>> curve = {{zoocol::Model, modelIndex}, {zoocol::Epoch, epoch}};
        for (const char *metric : Metrics)
            if (metrics.contains(metric))
                curve.emplace_back(metric, metricValue(metrics[metric]));
        zoo.curves.appendRow(curve);
    }
}

} // namespace

Zoo importOfficialZoo(const std::string &folderPath, ImportReport &report, const ProgressCallback &callback)
{
    const fs::path root(folderPath);
    const std::vector<fs::path> modelFolders = findModelFolders(root, folderPath);
    report = ImportReport();
    report.modelsFound = int64_t(modelFolders.size());
    Zoo zoo;
    zoo.name = fs::absolute(root).lexically_normal().filename().string();
    zoo.provenance = json{{"kind", "imported"}, {"format", "model-zoos (ray tune)"},
                          {"source", fs::absolute(root).lexically_normal().string()}}.dump();
    const std::string dataset = datasetFromFolderName(zoo.name);
    ProgressReporter progress(callback);
    for (size_t index = 0; index < modelFolders.size(); ++index) {
        const fs::path &folder = modelFolders[index];
        progress.report(double(index) / double(modelFolders.size()), "importing",
                        std::to_string(index + 1) + "/" + std::to_string(modelFolders.size()) + " " +
                            folder.filename().string());
        try {
            const ModelFolder model = readModelFolder(folder);
            const int64_t modelIndex = zoo.modelCount();
            const int archIndex = addModelRow(zoo, model, dataset);
            addCheckpointRows(zoo, model, archIndex, modelIndex);
            report.checkpointsImported += int64_t(model.states.size());
            ++report.modelsImported;
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &failure) {
            report.skipped.emplace_back(folder.string(), failure.what()); // the report lists them, once
        }
    }
    progress.report(1.0, "imported", std::to_string(report.modelsImported) + " models");
    if (report.modelsImported == 0)
        throw FormatError(folderPath, "none of the " + std::to_string(report.modelsFound) +
                                          " model folders could be imported (first problem: " +
                                          report.skipped.front().second + ")");
    return zoo;
}

} // namespace wse
