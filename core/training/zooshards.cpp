#include "training/zooshards.h"

#include "common/error.h"
#include "training/zootrainer.h"
#include "zoo/zoomerge.h"
#include "zoo/zoostore.h"

#include <filesystem>
#include <map>
#include <utility>

namespace wse {

std::string zooPartPath(const std::string &output, const Shard &shard)
{
    return output + ".part-" + std::to_string(shard.index + 1) + "-of-" + std::to_string(shard.count);
}

namespace {

// (model, epoch) -> row, for a table with model and epoch columns.
std::map<std::pair<int64_t, int64_t>, int64_t> rowsByModelAndEpoch(const Table &table)
{
    std::map<std::pair<int64_t, int64_t>, int64_t> rows;
    if (table.rowCount() == 0)
        return rows;
    const Column &models = table.get(zoocol::Model);
    const Column &epochs = table.get(zoocol::Epoch);
    for (int64_t r = 0; r < table.rowCount(); ++r)
        rows[{int64_t(models.number(r)), int64_t(epochs.number(r))}] = r;
    return rows;
}

} // namespace

Zoo assembleZooParts(const ZooTrainOptions &options, const std::string &output, int count)
{
    std::vector<Zoo> parts;
    for (int index = 0; index < count; ++index) {
        const std::string path = zooPartPath(output, {index, count});
        if (!std::filesystem::exists(path))
            throw UsageError(path + " is missing: run the same command again to train that part");
        parts.push_back(ZooStore::read(path));
        if (parts.back().attachments.count("training_state"))
            throw UsageError(path + " is not finished: run the same command again to resume it");
    }
    const std::vector<ModelConfig> configs = options.expandModels();
    const std::vector<std::vector<int64_t>> populations = groupIntoPopulations(configs, options.populationSize);
    std::vector<int> owner(configs.size(), 0);
    for (size_t p = 0; p < populations.size(); ++p)
        for (int64_t m : populations[p])
            owner[size_t(m)] = int(p % size_t(count));

    Zoo zoo;
    zoo.name = parts.front().name;
    zoo.provenance = parts.front().provenance;
    for (const Architecture &architecture : parts.front().architectures)
        zoo.addArchitecture(architecture);
    for (size_t m = 0; m < configs.size(); ++m) // diverged_epoch is known to the part that trained it
        zoo.models.appendRow(parts[size_t(owner[m])].models.row(int64_t(m)));
    std::vector<std::map<std::pair<int64_t, int64_t>, int64_t>> checkpoints, curves;
    for (const Zoo &part : parts) {
        checkpoints.push_back(rowsByModelAndEpoch(part.checkpoints));
        curves.push_back(rowsByModelAndEpoch(part.curves));
    }
    for (int64_t epoch = 0; epoch <= options.epochs; ++epoch)
        for (size_t p = 0; p < populations.size(); ++p) {
            const size_t from = p % size_t(count);
            for (int64_t m : populations[p]) {
                if (const auto curve = curves[from].find({m, epoch}); curve != curves[from].end())
                    zoo.curves.appendRow(parts[from].curves.row(curve->second));
                if (const auto saved = checkpoints[from].find({m, epoch}); saved != checkpoints[from].end())
                    copyCheckpoint(parts[from], saved->second, zoo, m);
            }
        }
    zoo.validate(output);
    ZooStore::write(zoo, output);
    for (int index = 0; index < count; ++index)
        std::filesystem::remove(zooPartPath(output, {index, count}));
    return zoo;
}

} // namespace wse
