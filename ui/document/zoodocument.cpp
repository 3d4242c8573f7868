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

} // namespace wse
