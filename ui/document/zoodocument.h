#pragma once
// An open zoo and its map, as the explorer shows them. Loading runs off the GUI thread.
#include "analysis/weightmap.h"
#include "zoo/zoo.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace wse {

class ZooDocument
{
public:
    // Reads the zoo file and computes its maps (weights and weight statistics). Throws wse::Error.
    static std::shared_ptr<ZooDocument> load(const QString &path);

    const QString &path() const { return mPath; }
    const Zoo &zoo() const { return mZoo; }
    const WeightMap &map(MapSource source) const;

    // Zoo checkpoint index of map point i (the same for every map source).
    int64_t checkpointOf(int point) const { return mWeightsMap.checkpoints.at(size_t(point)); }
    // Columns the map can be coloured by (metrics and hyper-parameters, not bookkeeping).
    QStringList colourableColumns() const;

private:
    QString mPath;
    Zoo mZoo;
    WeightMap mWeightsMap;
    WeightMap mStatisticsMap;
};

} // namespace wse
