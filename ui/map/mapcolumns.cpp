#include "map/mapcolumns.h"

#include "analysis/filterexpression.h"

#include <algorithm>

namespace wse {

Column columnOnMap(const Zoo &zoo, const std::vector<int64_t> &checkpoints, const std::string &name)
{
    const Column all = zoo.checkpointColumn(name);
    Column onMap = all.isText() ? Column::texts(name, {}) : Column::numbers(name, {});
    for (int64_t c : checkpoints)
        all.isText() ? onMap.append(all.text(c)) : onMap.append(all.number(c));
    return onMap;
}

std::vector<bool> filterMask(const Zoo &zoo, const std::vector<int64_t> &checkpoints, const std::string &expression)
{
    Table table; // the columns the expression uses, restricted to these checkpoints
    const FilterExpression filter = FilterExpression::parse(expression);
    const std::vector<std::string> names = zoo.checkpointColumnNames();
    for (const std::string &name : filter.columns()) {
        if (table.find(name) || std::find(names.begin(), names.end(), name) == names.end())
            continue; // an unknown column: evaluate() reports it, pointing at the column
        table.addColumn(columnOnMap(zoo, checkpoints, name));
    }
    return filter.evaluate([&](const std::string &name) { return table.find(name); }, int64_t(checkpoints.size()));
}

} // namespace wse
