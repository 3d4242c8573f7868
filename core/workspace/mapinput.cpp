#include "workspace/mapinput.h"

#include "common/error.h"
#include "zoo/zoostore.h"

#include <algorithm>
#include <cmath>

namespace wse {

namespace {

std::string label(const std::string &model, const std::string &epoch)
{
    return model + ":" + epoch;
}

std::string epochText(double epoch)
{
    return epoch == std::floor(epoch) ? std::to_string(int64_t(epoch)) : std::to_string(epoch);
}

// Keeps a row only when all its values are finite.
bool appendFinite(MapInput &input, const float *row, int64_t checkpoint, std::string name)
{
    if (!std::all_of(row, row + input.dims, [](float v) { return std::isfinite(v); }))
        return false;
    input.values.insert(input.values.end(), row, row + input.dims);
    input.checkpoints.push_back(checkpoint);
    input.labels.push_back(std::move(name));
    return true;
}

void noteDropped(MapInput &input, int64_t dropped)
{
    if (dropped > 0)
        input.notes.push_back(std::to_string(dropped) + " checkpoints left out: their values are not finite (diverged models)");
}

} // namespace

int64_t MapInput::find(const std::string &wanted) const
{
    const auto it = std::find(labels.begin(), labels.end(), wanted);
    if (it != labels.end())
        return int64_t(it - labels.begin());
    std::string examples;
    for (size_t i = 0; i < std::min<size_t>(3, labels.size()); ++i)
        examples += (i ? ", " : "") + labels[i];
    throw UsageError("no checkpoint '" + wanted + "' among the " + std::to_string(labels.size()) +
                     " points (labels are MODEL:EPOCH, e.g. " + examples + ")");
}

MapInput mapInputFromEmbeddings(const Embeddings &embeddings)
{
    MapInput input;
    input.key = "sane:" + embeddings.encoderId;
    input.zooPath = embeddings.source;
    input.dims = embeddings.dims;
    const Column &checkpoints = embeddings.rows.get("checkpoint");
    const Column &models = embeddings.rows.get(zoocol::ModelId);
    const Column &epochs = embeddings.rows.get(zoocol::Epoch);
    int64_t dropped = 0;
    for (int64_t r = 0; r < embeddings.count(); ++r)
        dropped += !appendFinite(input, embeddings.row(r), int64_t(checkpoints.number(r)),
                                 label(models.text(r), epochText(epochs.number(r))));
    noteDropped(input, dropped);
    return input;
}

MapInput mapInputFromZooWeights(const std::string &zooPath, const std::string &architecture)
{
    const Zoo zoo = ZooStore::read(zooPath, true);
    const int index = architecture.empty() ? 0 : zoo.architectureIndex(architecture);
    if (index < 0 || index >= int(zoo.architectures.size()))
        throw UsageError(zooPath + ": no architecture '" + architecture + "'");
    MapInput input;
    input.key = "weights:" + zoo.architectures[size_t(index)].name;
    input.zooPath = zooPath;
    const WeightMatrix &weights = zoo.weights[size_t(index)];
    input.dims = weights.cols;
    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    int64_t dropped = 0;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
        if (zoo.checkpointArchitecture(c) == index)
            dropped += !appendFinite(input, weights.row(int64_t(rows.number(c))), c,
                                     label(zoo.checkpointValue(c, zoocol::ModelId), zoo.checkpointValue(c, zoocol::Epoch)));
    noteDropped(input, dropped);
    if (input.count() == 0)
        throw UsageError(zooPath + ": architecture " + zoo.architectures[size_t(index)].name + " has no finite checkpoints");
    return input;
}

} // namespace wse
