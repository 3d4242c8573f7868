#include "analysis/pointscsv.h"

#include "common/textfile.h"

#include <cmath>
#include <cstdio>

namespace wse {

std::string pointsCsv(const Zoo &zoo, const WeightMap &map, const std::vector<float> &layout, const std::string &layoutName,
                      const std::vector<int> &points, bool withFeatures)
{
    std::vector<std::string> names = {zoocol::ModelId, zoocol::Epoch};
    for (const std::string &name : zoo.checkpointColumnNames())
        if (!Zoo::isBookkeepingColumn(name) && name != zoocol::Epoch)
            names.push_back(name);
    std::vector<Column> columns;
    for (const std::string &name : names)
        columns.push_back(zoo.checkpointColumn(name));
    const bool features = withFeatures && map.featureDims > 0 && !map.features.empty();

    std::string csv;
    for (const std::string &name : names)
        csv += csvField(name) + ",";
    csv += layoutName + "_x," + layoutName + "_y," + layoutName + "_z";
    if (features)
        for (int64_t d = 0; d < map.featureDims; ++d)
            csv += ",z" + std::to_string(d);
    csv += "\n";

    std::vector<int> order = points;
    if (order.empty())
        for (int i = 0; i < int(map.checkpoints.size()); ++i)
            order.push_back(i);
    char number[32];
    for (int point : order) {
        const int64_t checkpoint = map.checkpoints.at(size_t(point));
        for (const Column &column : columns) {
            if (column.isText()) {
                csv += csvField(column.text(checkpoint)) + ",";
            } else if (std::isnan(column.number(checkpoint))) {
                csv += ","; // empty: pandas and R read it as missing
            } else {
                std::snprintf(number, sizeof number, "%.10g,", column.number(checkpoint));
                csv += number;
            }
        }
        for (int axis = 0; axis < 3; ++axis) {
            const size_t index = size_t(point) * 3 + size_t(axis);
            std::snprintf(number, sizeof number, "%.9g", index < layout.size() ? double(layout[index]) : 0.0);
            csv += (axis ? "," : "") + std::string(number);
        }
        if (features)
            for (int64_t d = 0; d < map.featureDims; ++d) {
                std::snprintf(number, sizeof number, ",%.9g", double(map.features[size_t(point * map.featureDims + d)]));
                csv += number;
            }
        csv += "\n";
    }
    return csv;
}

} // namespace wse
