#include "analysis/pointscsv.h"

#include "common/error.h"
#include "common/textfile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace wse {

namespace {

std::vector<Column> checkpointColumns(const Zoo *zoo)
{
    std::vector<Column> columns;
    if (!zoo)
        return columns;
    std::vector<std::string> names = {zoocol::ModelId, zoocol::Epoch};
    for (const std::string &name : zoo->checkpointColumnNames())
        if (!Zoo::isBookkeepingColumn(name) && name != zoocol::Epoch)
            names.push_back(name);
    for (const std::string &name : names)
        columns.push_back(zoo->checkpointColumn(name));
    return columns;
}

std::string number(double value, const char *format)
{
    if (std::isnan(value))
        return {}; // empty: pandas and R read it as missing
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

std::string header(const MapPoints &map, const std::vector<Column> &columns, bool anyAdded, bool features)
{
    std::string csv = "checkpoint,label";
    for (const Column &column : columns)
        csv += "," + csvField(column.name());
    if (anyAdded)
        csv += ",added";
    static const char *axes[] = {"_x", "_y", "_z"};
    for (int axis = 0; axis < map.layoutDims; ++axis)
        csv += "," + csvField(map.layoutName + axes[axis]);
    if (features)
        for (int64_t d = 0; d < map.featureDims; ++d)
            csv += ",z" + std::to_string(d);
    return csv + "\n";
}

} // namespace

std::string pointsCsv(const MapPoints &map, const std::vector<int> &points)
{
    if (map.layoutDims < 1 || map.layoutDims > 3 || map.layout.size() != map.checkpoints.size() * size_t(map.layoutDims))
        throw UsageError("map points: the layout has " + std::to_string(map.layout.size()) + " values for " +
                         std::to_string(map.checkpoints.size()) + " points");
    const std::vector<Column> columns = checkpointColumns(map.zoo);
    const bool features = map.featureDims > 0 && map.features.size() == map.checkpoints.size() * size_t(map.featureDims);
    const bool anyAdded = std::find(map.checkpoints.begin(), map.checkpoints.end(), -1) != map.checkpoints.end();
    std::string csv = header(map, columns, anyAdded, features);
    std::vector<int> order = points;
    if (order.empty())
        for (int i = 0; i < int(map.checkpoints.size()); ++i)
            order.push_back(i);
    for (int point : order) {
        const int64_t checkpoint = map.checkpoints.at(size_t(point));
        const bool inZoo = checkpoint >= 0 && map.zoo && checkpoint < map.zoo->checkpointCount();
        std::string label = size_t(point) < map.labels.size() ? map.labels[size_t(point)] : std::string();
        if (label.empty() && inZoo)
            label = map.zoo->checkpointName(checkpoint);
        csv += std::to_string(checkpoint) + "," + csvField(label);
        for (const Column &column : columns) {
            csv += ",";
            if (inZoo)
                csv += column.isText() ? csvField(column.text(checkpoint)) : number(column.number(checkpoint), "%.10g");
        }
        if (anyAdded)
            csv += checkpoint < 0 ? ",1" : ",0";
        for (int axis = 0; axis < map.layoutDims; ++axis)
            csv += "," + number(double(map.layout[size_t(point) * size_t(map.layoutDims) + size_t(axis)]), "%.9g");
        if (features)
            for (int64_t d = 0; d < map.featureDims; ++d)
                csv += "," + number(double(map.features[size_t(point * map.featureDims + d)]), "%.9g");
        csv += "\n";
    }
    return csv;
}

} // namespace wse
