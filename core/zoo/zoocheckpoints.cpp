#include "zoo/zoocheckpoints.h"

#include "checkpoint/checkpointfile.h"
#include "checkpoint/safetensors.h"
#include "common/error.h"
#include "common/filekind.h"
#include "common/jsonread.h"
#include "common/textfile.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace wse {

int64_t findCheckpoint(const Zoo &zoo, const std::string &modelId, int epoch)
{
    const Column &ids = zoo.models.get(zoocol::ModelId);
    int64_t model = -1;
    for (int64_t m = 0; m < zoo.modelCount() && model < 0; ++m)
        if (ids.text(m) == modelId)
            model = m;
    if (model < 0)
        throw UsageError("the zoo has no model '" + modelId + "'");
    const Column &models = zoo.checkpoints.get(zoocol::Model);
    const Column &epochs = zoo.checkpoints.get(zoocol::Epoch);
    std::string available;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
        if (int64_t(models.number(c)) == model) {
            if (int(epochs.number(c)) == epoch)
                return c;
            available += (available.empty() ? "" : ", ") + epochs.displayValue(c);
        }
    throw UsageError("model '" + modelId + "' has no checkpoint at epoch " + std::to_string(epoch) +
                     " (epochs: " + available + ")");
}

int64_t findCheckpoint(const Zoo &zoo, const std::string &modelAndEpoch)
{
    const size_t colon = modelAndEpoch.rfind(':');
    const std::string epochText = colon == std::string::npos ? std::string() : modelAndEpoch.substr(colon + 1);
    char *end = nullptr;
    const long epoch = std::strtol(epochText.c_str(), &end, 10);
    if (colon == std::string::npos || epochText.empty() || *end != '\0' || epoch < 0 || epoch > INT32_MAX)
        throw UsageError("'" + modelAndEpoch + "': expected MODEL:EPOCH with a whole epoch, e.g. m00012:8");
    return findCheckpoint(zoo, modelAndEpoch.substr(0, colon), int(epoch));
}

std::vector<float> checkpointWeights(const Zoo &zoo, const std::string &zooPath, int64_t checkpoint)
{
    const int architecture = zoo.checkpointArchitecture(checkpoint);
    const auto row = int64_t(zoo.checkpoints.get(zoocol::WeightRow).number(checkpoint));
    const Architecture &arch = zoo.architectures.at(size_t(architecture));
    std::vector<float> weights(size_t(arch.numel()));
    const WeightMatrix *inMemory = size_t(architecture) < zoo.weights.size() ? &zoo.weights[size_t(architecture)] : nullptr;
    if (inMemory && row < inMemory->rows && !inMemory->values.empty())
        std::copy(inMemory->row(row), inMemory->row(row) + arch.numel(), weights.begin());
    else
        ZooWeightReader(zooPath, arch.name).read(row, 1, weights.data());
    return weights;
}

StateDict exportCheckpoint(const std::string &zooPath, const std::string &modelId, int epoch)
{
    const Zoo zoo = ZooStore::read(zooPath, /*withWeights=*/false);
    const int64_t checkpoint = findCheckpoint(zoo, modelId, epoch);
    const Architecture &arch = zoo.architectures[size_t(zoo.checkpointArchitecture(checkpoint))];
    const WeightMatrix row = ZooStore::readWeights(zooPath, arch.name,
                                                   int64_t(zoo.checkpoints.get(zoocol::WeightRow).number(checkpoint)), 1);
    std::vector<std::string> keys;
    for (const TensorSpec &tensor : arch.tensors)
        keys.push_back(tensor.key);
    const std::string ownKeys = zoo.checkpointValue(checkpoint, zoocol::StateDictKeys);
    if (!ownKeys.empty()) {
        try {
            keys = nlohmann::json::parse(ownKeys).get<std::vector<std::string>>();
        } catch (const nlohmann::json::exception &error) {
            throw FormatError(zooPath, "model '" + modelId + "': state_dict_keys is not a list of names (" +
                                           jsonread::describe(error) + ")");
        }
        if (keys.size() != arch.tensors.size())
            throw FormatError(zooPath, "model '" + modelId + "' lists " + std::to_string(keys.size()) +
                                           " keys for an architecture of " + std::to_string(arch.tensors.size()) + " tensors");
    }
    StateDict sd;
    const float *values = row.values.data();
    for (size_t t = 0; t < arch.tensors.size(); ++t) {
        sd.entries.emplace_back(keys[t], TensorBuffer::fromFloat(arch.tensors[t].shape, values));
        values += arch.tensors[t].numel();
        // BatchNorm's int64 step counter follows its running variance in a PyTorch state_dict. The
        // zoo stores float weights only; the counter only matters for momentum=None (cumulative
        // averages), which the zoos do not use, so it is written as 0.
        if (const std::string counter = batchCounterKey(keys[t]); !counter.empty()) {
            const int64_t steps = 0;
            sd.entries.emplace_back(counter, TensorBuffer::fromInt64({}, &steps));
        }
    }
    return sd;
}

static Table::Value parseMetaValue(const std::string &text)
{
    char *end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (!text.empty() && end && *end == '\0')
        return number;
    return text;
}

std::string checkpointProvenance(const Zoo &zoo, const std::string &zooPath, int64_t checkpoint, const std::string &extraJson)
{
    nlohmann::ordered_json provenance;
    provenance["model_id"] = zoo.checkpointValue(checkpoint, zoocol::ModelId);
    provenance["epoch"] = zoo.checkpoints.get(zoocol::Epoch).number(checkpoint);
    provenance["zoo"] = std::filesystem::absolute(zooPath).lexically_normal().string();
    provenance["zoo_name"] = zoo.name;
    const nlohmann::ordered_json extra = nlohmann::ordered_json::parse(extraJson, nullptr, false);
    if (extra.is_object())
        provenance.update(extra);
    nlohmann::ordered_json row;
    for (const std::string &column : zoo.checkpointColumnNames()) {
        if (Zoo::isBookkeepingColumn(column))
            continue;
        const Column values = zoo.checkpointColumn(column);
        if (values.isText())
            row[column] = values.text(checkpoint);
        else if (std::isfinite(values.number(checkpoint)))
            row[column] = values.number(checkpoint);
        else
            row[column] = nullptr; // JSON has no NaN: a metric never measured
    }
    provenance["values"] = row;
    const nlohmann::ordered_json made = nlohmann::ordered_json::parse(zoo.provenance, nullptr, false);
    provenance["zoo_provenance"] = made.is_discarded() ? nlohmann::ordered_json(zoo.provenance) : made;
    return provenance.dump(2) + "\n";
}

StateDict exportCheckpointFile(const std::string &zooPath, const std::string &modelId, int epoch,
                               const std::string &output, bool provenance, const std::string &extraJson)
{
    checkOutputPath(output, {zooPath});
    if (provenance)
        checkOutputPath(output + ".json", {zooPath});
    StateDict stateDict = exportCheckpoint(zooPath, modelId, epoch);
    if (isSafetensorsPath(output))
        // As safetensors.torch.save_model writes it; Hugging Face loaders ask for "format".
        stateDict.texts.insert(stateDict.texts.begin(), {{"format", "pt"}, {"model_id", modelId}, {"epoch", std::to_string(epoch)}});
    writeCheckpoint(output, stateDict);
    if (provenance) {
        const Zoo zoo = ZooStore::read(zooPath, /*withWeights=*/false);
        writeTextFile(output + ".json", checkpointProvenance(zoo, zooPath, findCheckpoint(zoo, modelId, epoch), extraJson));
    }
    return stateDict;
}

std::vector<std::string> addCheckpoints(const std::string &zooPath, const std::vector<std::string> &files,
                                        const std::vector<std::pair<std::string, std::string>> &meta)
{
    Zoo zoo = ZooStore::read(zooPath);
    static const std::set<std::string> checkpointColumns = {"epoch", "train_loss", "train_acc", "test_loss",
                                                            "test_acc", "val_loss", "val_acc", "ggap"};
    std::set<std::string> usedIds;
    for (const std::string &id : zoo.models.get(zoocol::ModelId).texts())
        usedIds.insert(id);

    std::vector<std::string> added;
    for (const std::string &file : files) {
        const StateDict sd = readCheckpoint(file);
        std::vector<std::vector<int64_t>> shapes;
        for (const auto &entry : sd.entries)
            shapes.push_back(entry.second.shape);
        int archIndex = zoo.architectureWithShapes(shapes);
        if (archIndex < 0) {
            Architecture arch;
            arch.name = "custom-" + std::to_string(zoo.architectures.size());
            arch.description = "added from " + std::filesystem::path(file).filename().string() + " (" +
                               std::to_string(sd.numel()) + " parameters)";
            for (const auto &entry : sd.entries)
                arch.tensors.push_back({entry.first, entry.second.shape});
            archIndex = zoo.addArchitecture(arch);
        }
        const Architecture &arch = zoo.architectures[size_t(archIndex)];
        nlohmann::json keys = nlohmann::json::array();
        bool sameKeys = true;
        for (size_t t = 0; t < sd.entries.size(); ++t) {
            keys.push_back(sd.entries[t].first);
            sameKeys = sameKeys && sd.entries[t].first == arch.tensors[t].key;
        }

        std::string id = std::filesystem::path(file).stem().string();
        for (int suffix = 2; usedIds.count(id); ++suffix)
            id = std::filesystem::path(file).stem().string() + "-" + std::to_string(suffix);
        usedIds.insert(id);

        std::vector<std::pair<std::string, Table::Value>> modelRow = {
            {zoocol::ModelId, id}, {zoocol::Architecture, arch.name},
            {zoocol::Source, std::filesystem::absolute(file).lexically_normal().string()},
            {zoocol::StateDictKeys, sameKeys ? std::string() : keys.dump()}};
        std::vector<std::pair<std::string, Table::Value>> checkpointRow = {
            {zoocol::Model, zoo.modelCount()}, {zoocol::WeightRow, zoo.weights[size_t(archIndex)].rows}};
        bool haveEpoch = false;
        for (const auto &[key, text] : meta) {
            const Table::Value value = parseMetaValue(text);
            if (checkpointColumns.count(key)) {
                if (value.isText)
                    throw UsageError("--meta " + key + " needs a number, got '" + text + "'");
                checkpointRow.emplace_back(key, value);
                haveEpoch = haveEpoch || key == "epoch";
            } else {
                if (value.isText && zoo.models.find(key) && !zoo.models.find(key)->isText())
                    zoo.models.convertToText(key);
                modelRow.emplace_back(key, value);
            }
        }
        if (!haveEpoch)
            checkpointRow.emplace_back(zoocol::Epoch, 0);
        std::vector<float> flat;
        for (const auto &entry : sd.entries) {
            const std::vector<float> values = entry.second.toFloat();
            flat.insert(flat.end(), values.begin(), values.end());
        }
        zoo.models.appendRow(modelRow);
        zoo.weights[size_t(archIndex)].appendRow(flat.data());
        zoo.checkpoints.appendRow(checkpointRow);
        added.push_back(id);
    }
    ZooStore::write(zoo, zooPath);
    return added;
}

} // namespace wse
