#include "document/zoodocument.h"

#include "sane/embeddingmap.h"
#include "sane/zooembedding.h"
#include "zoo/zoostore.h"

namespace wse {

std::shared_ptr<ZooDocument> ZooDocument::load(const QString &path, const QString &sane)
{
    auto document = std::make_shared<ZooDocument>();
    document->mPath = path;
    document->mSanePath = sane;
    document->mZoo = ZooStore::read(path.toStdString());
    for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics})
        document->mMaps[source] = computeWeightMap(document->mZoo, source);
    if (!sane.isEmpty()) {
        const Embeddings embeddings = sane.endsWith(".h5") || sane.endsWith(".hdf5")
                                          ? Embeddings::read(sane.toStdString())
                                          : embedZoo(sane.toStdString(), path.toStdString(), EmbedOptions::defaults(), nullptr);
        document->mMaps[MapSource::SaneEmbeddings] = computeEmbeddingMap(document->mZoo, embeddings);
    }
    return document;
}

const WeightMap &ZooDocument::map(MapSource source) const
{
    const auto it = mMaps.find(source);
    return it == mMaps.end() ? mMaps.at(MapSource::Weights) : it->second;
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
