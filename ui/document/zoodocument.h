#pragma once
// An open zoo and its maps, as the explorer shows them. Loading runs off the GUI thread.
#include "analysis/weightmap.h"
#include "zoo/zoo.h"

#include <QString>
#include <QStringList>

#include <map>
#include <memory>

namespace wse {

class ZooDocument
{
public:
    // Reads the zoo file and computes its maps (weights and weight statistics). With `sane` (a
    // SANE encoder .pt, which embeds every checkpoint now, or an embeddings .h5 made from this
    // zoo) also the SANE map. Throws wse::Error naming the file at fault.
    static std::shared_ptr<ZooDocument> load(const QString &path, const QString &sane = {});

    const QString &path() const { return mPath; }
    const QString &sanePath() const { return mSanePath; }
    const Zoo &zoo() const { return mZoo; }
    bool hasMap(MapSource source) const { return mMaps.count(source) > 0; }
    const WeightMap &map(MapSource source) const; // the weights map when `source` is absent

    // Zoo checkpoint index of point `point` of a map.
    int64_t checkpointOf(MapSource source, int point) const { return map(source).checkpoints.at(size_t(point)); }
    // Columns the map can be coloured by (metrics and hyper-parameters, not bookkeeping).
    QStringList colourableColumns() const;

private:
    QString mPath, mSanePath;
    Zoo mZoo;
    std::map<MapSource, WeightMap> mMaps;
};

} // namespace wse
