#include "document/zoodocument.h"

#include "zoo/zoostore.h"

namespace wse {

std::shared_ptr<ZooDocument> ZooDocument::load(const QString &path)
{
    auto document = std::make_shared<ZooDocument>();
    document->mPath = path;
    document->mZoo = ZooStore::read(path.toStdString());
    document->mWeightsMap = computeWeightMap(document->mZoo, MapSource::Weights);
    document->mStatisticsMap = computeWeightMap(document->mZoo, MapSource::WeightStatistics);
    return document;
}

const WeightMap &ZooDocument::map(MapSource source) const
{
    return source == MapSource::Weights ? mWeightsMap : mStatisticsMap;
}

QStringList ZooDocument::colourableColumns() const
{
    QStringList names;
    for (const std::string &name : mZoo.checkpointColumnNames())
        if (!Zoo::isBookkeepingColumn(name))
            names << QString::fromStdString(name);
    return names;
}

int ZooDocument::pointOf(const std::string &modelId, int epoch) const
{
    const Column ids = mZoo.checkpointColumn(zoocol::ModelId);
    const Column &epochs = mZoo.checkpoints.get(zoocol::Epoch);
    for (size_t point = 0; point < mWeightsMap.checkpoints.size(); ++point) {
        const int64_t checkpoint = mWeightsMap.checkpoints[point];
        if (ids.text(checkpoint) == modelId && int(epochs.number(checkpoint)) == epoch)
            return int(point);
    }
    return -1;
}

} // namespace wse
