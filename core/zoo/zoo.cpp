#include "zoo/zoo.h"

#include "common/error.h"
#include "common/numbertext.h"

#include <cmath>

namespace wse {

void WeightMatrix::appendRow(const float *data)
{
    values.insert(values.end(), data, data + cols);
    ++rows;
}

int Zoo::architectureIndex(const std::string &archName) const
{
    for (size_t i = 0; i < architectures.size(); ++i)
        if (architectures[i].name == archName)
            return int(i);
    return -1;
}

int Zoo::architectureWithShapes(const std::vector<std::vector<int64_t>> &shapes) const
{
    for (size_t i = 0; i < architectures.size(); ++i) {
        const std::vector<TensorSpec> &tensors = architectures[i].tensors;
        if (tensors.size() != shapes.size())
            continue;
        bool same = true;
        for (size_t t = 0; t < tensors.size() && same; ++t)
            same = tensors[t].shape == shapes[t];
        if (same)
            return int(i);
    }
    return -1;
}

int Zoo::addArchitecture(const Architecture &architecture)
{
    const int existing = architectureIndex(architecture.name);
    if (existing >= 0) {
        if (!architectures[size_t(existing)].sameLayout(architecture))
            throw UsageError("architecture name '" + architecture.name + "' is already used by a different layout");
        return existing;
    }
    architectures.push_back(architecture);
    WeightMatrix matrix;
    matrix.cols = architecture.numel();
    weights.push_back(std::move(matrix));
    return int(architectures.size()) - 1;
}

int Zoo::checkpointArchitecture(int64_t checkpoint) const
{
    const auto model = int64_t(checkpoints.get(zoocol::Model).number(checkpoint));
    return architectureIndex(models.get(zoocol::Architecture).text(model));
}

Column Zoo::checkpointColumn(const std::string &columnName) const
{
    if (const Column *column = checkpoints.find(columnName))
        return *column;
    const Column *modelColumn = models.find(columnName);
    if (!modelColumn)
        throw UsageError("the zoo has no column '" + columnName + "'");
    const Column &modelIndex = checkpoints.get(zoocol::Model);
    const auto rows = size_t(checkpointCount());
    if (modelColumn->isText()) {
        std::vector<std::string> values(rows);
        for (size_t i = 0; i < rows; ++i)
            values[i] = modelColumn->text(int64_t(modelIndex.number(int64_t(i))));
        return Column::texts(columnName, std::move(values));
    }
    std::vector<double> values(rows);
    for (size_t i = 0; i < rows; ++i)
        values[i] = modelColumn->number(int64_t(modelIndex.number(int64_t(i))));
    return Column::numbers(columnName, std::move(values));
}

std::string Zoo::checkpointValue(int64_t checkpoint, const std::string &columnName) const
{
    if (const Column *column = checkpoints.find(columnName))
        return column->displayValue(checkpoint);
    if (const Column *column = models.find(columnName))
        return column->displayValue(int64_t(checkpoints.get(zoocol::Model).number(checkpoint)));
    return {};
}

std::string Zoo::checkpointName(int64_t checkpoint) const
{
    return checkpointValue(checkpoint, zoocol::ModelId) + ":" + checkpointValue(checkpoint, zoocol::Epoch);
}

bool Zoo::isBookkeepingColumn(const std::string &name)
{
    return name == zoocol::ModelId || name == zoocol::Model || name == zoocol::WeightRow ||
           name == zoocol::StateDictKeys || name == zoocol::Source;
}

std::vector<std::string> Zoo::checkpointColumnNames() const
{
    std::vector<std::string> names;
    for (const Column &column : checkpoints.columns())
        names.push_back(column.name());
    for (const Column &column : models.columns())
        if (!checkpoints.find(column.name()))
            names.push_back(column.name());
    return names;
}

void Zoo::validate(const std::string &path) const
{
    if (architectures.size() != weights.size())
        throw FormatError(path, "architecture list and weight matrices differ in count");
    if (!models.find(zoocol::ModelId) || !models.find(zoocol::Architecture))
        throw FormatError(path, "models table lacks 'model_id' or 'architecture'");
    for (const char *name : {zoocol::Model, zoocol::Epoch, zoocol::WeightRow})
        if (!checkpoints.find(name) && checkpoints.rowCount() > 0)
            throw FormatError(path, std::string("checkpoints table lacks '") + name + "'");
    auto requireKind = [&](const Table &table, const char *tableName, const char *column, bool text) {
        const Column *found = table.find(column);
        if (found && found->isText() != text)
            throw FormatError(path, std::string("/") + tableName + "/" + column + ": holds " +
                                        (text ? "numbers" : "text") + ", expected " + (text ? "text" : "numbers"));
    };
    requireKind(models, "models", zoocol::ModelId, true);
    requireKind(models, "models", zoocol::Architecture, true);
    for (const char *name : {zoocol::Model, zoocol::Epoch, zoocol::WeightRow})
        requireKind(checkpoints, "checkpoints", name, false);
    const Column &archColumn = models.get(zoocol::Architecture);
    for (int64_t m = 0; m < models.rowCount(); ++m)
        if (architectureIndex(archColumn.text(m)) < 0)
            throw FormatError(path, "model " + std::to_string(m) + " names unknown architecture '" + archColumn.text(m) + "'");
    // Row indices stored as float64 columns: whole numbers within their tables, or the file is damaged.
    auto checkIndex = [&](const char *column, int64_t c, double value, int64_t limit, const std::string &of) {
        if (!(value >= 0 && value < double(limit) && std::floor(value) == value))
            throw FormatError(path, std::string("/checkpoints/") + column + ": row " + std::to_string(c) + " holds " +
                                        plainNumber(value) + ", not a row of " + of + " (" + std::to_string(limit) +
                                        " rows)");
    };
    for (int64_t c = 0; c < checkpoints.rowCount(); ++c) {
        checkIndex(zoocol::Model, c, checkpoints.get(zoocol::Model).number(c), models.rowCount(), "/models");
        const int arch = checkpointArchitecture(c);
        checkIndex(zoocol::WeightRow, c, checkpoints.get(zoocol::WeightRow).number(c), weights[size_t(arch)].rows,
                   "/architectures/" + architectures[size_t(arch)].name + "/weights");
    }
}

} // namespace wse
