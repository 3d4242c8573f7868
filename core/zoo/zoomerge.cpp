#include "zoo/zoomerge.h"

#include "common/error.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace wse {

int64_t copyCheckpoint(const Zoo &from, int64_t checkpoint, Zoo &into, int64_t model)
{
    const int source = from.checkpointArchitecture(checkpoint);
    const int target = into.addArchitecture(from.architectures.at(size_t(source)));
    WeightMatrix &matrix = into.weights[size_t(target)];
    const WeightMatrix &weights = from.weights.at(size_t(source));
    auto row = from.checkpoints.row(checkpoint);
    for (auto &[name, value] : row) {
        if (name == zoocol::Model)
            value = Table::Value(model);
        else if (name == zoocol::WeightRow)
            value = Table::Value(matrix.rows);
    }
    matrix.appendRow(weights.row(int64_t(from.checkpoints.get(zoocol::WeightRow).number(checkpoint))));
    into.checkpoints.appendRow(row);
    return into.checkpointCount() - 1;
}

Zoo mergeZoos(const std::vector<std::string> &paths)
{
    if (paths.size() < 2)
        throw UsageError("give at least two zoos to merge");
    Zoo merged;
    std::map<std::string, std::string> owner; // model id -> the file that holds it
    nlohmann::json provenances = nlohmann::json::array();
    for (const std::string &path : paths) {
        const Zoo zoo = ZooStore::read(path);
        if (merged.name.empty())
            merged.name = zoo.name;
        provenances.push_back({{"zoo", path}, {"provenance", zoo.provenance}});
        for (const Architecture &architecture : zoo.architectures) // names must mean one layout
            merged.addArchitecture(architecture);
        const int64_t offset = merged.modelCount();
        const Column &ids = zoo.models.get(zoocol::ModelId);
        for (int64_t m = 0; m < zoo.modelCount(); ++m) {
            const auto [where, added] = owner.emplace(ids.text(m), path);
            if (!added)
                throw UsageError(where->second + " and " + path + " both hold model '" + ids.text(m) +
                                 "': these zoos overlap (merge each model once)");
            merged.models.appendRow(zoo.models.row(m));
        }
        for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
            copyCheckpoint(zoo, c, merged, offset + int64_t(zoo.checkpoints.get(zoocol::Model).number(c)));
        for (int64_t r = 0; r < zoo.curves.rowCount(); ++r) {
            auto row = zoo.curves.row(r);
            for (auto &[name, value] : row)
                if (name == zoocol::Model)
                    value = Table::Value(offset + int64_t(value.number));
            merged.curves.appendRow(row);
        }
    }
    const bool same = std::all_of(provenances.begin(), provenances.end(),
                                  [&](const nlohmann::json &p) { return p["provenance"] == provenances[0]["provenance"]; });
    merged.provenance = same ? provenances[0]["provenance"].get<std::string>()
                             : nlohmann::json{{"merged_from", provenances}}.dump();
    merged.validate("the merged zoo");
    return merged;
}

} // namespace wse
