#include "zoo/table.h"

#include "common/error.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_set>

namespace wse {

Column Column::numbers(std::string name, std::vector<double> values)
{
    Column column;
    column.mName = std::move(name);
    column.mKind = Kind::Number;
    column.mNumbers = std::move(values);
    return column;
}

Column Column::texts(std::string name, std::vector<std::string> values)
{
    Column column;
    column.mName = std::move(name);
    column.mKind = Kind::Text;
    column.mTexts = std::move(values);
    return column;
}

int64_t Column::size() const
{
    return int64_t(mKind == Kind::Text ? mTexts.size() : mNumbers.size());
}

std::string Column::displayValue(int64_t row) const
{
    if (isText())
        return text(row);
    const double value = number(row);
    if (std::isnan(value))
        return "n/a";
    char buffer[64];
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
    else
        std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return buffer;
}

std::vector<std::string> Column::categories() const
{
    std::vector<std::string> result;
    std::unordered_set<std::string> seen;
    for (const std::string &value : mTexts)
        if (seen.insert(value).second)
            result.push_back(value);
    return result;
}

void Column::append(double value)
{
    if (isText())
        throw UsageError("column '" + mName + "' holds text, cannot append a number");
    mNumbers.push_back(value);
}

void Column::append(std::string value)
{
    if (!isText())
        throw UsageError("column '" + mName + "' holds numbers, cannot append text '" + value + "'");
    mTexts.push_back(std::move(value));
}

void Table::addColumn(Column column)
{
    if (find(column.name()))
        throw UsageError("duplicate column '" + column.name() + "'");
    if (!mColumns.empty() && column.size() != mRowCount)
        throw UsageError("column '" + column.name() + "' has " + std::to_string(column.size()) +
                         " rows, the table has " + std::to_string(mRowCount));
    mRowCount = column.size();
    mColumns.push_back(std::move(column));
}

const Column *Table::find(const std::string &name) const
{
    for (const Column &column : mColumns)
        if (column.name() == name)
            return &column;
    return nullptr;
}

const Column &Table::get(const std::string &name) const
{
    if (const Column *column = find(name))
        return *column;
    std::string known;
    for (const Column &column : mColumns)
        known += (known.empty() ? "" : ", ") + column.name();
    throw UsageError("no column '" + name + "' (known: " + known + ")");
}

void Table::replaceColumn(Column column)
{
    for (Column &existing : mColumns)
        if (existing.name() == column.name()) {
            if (column.size() != mRowCount)
                throw UsageError("column '" + column.name() + "' has " + std::to_string(column.size()) + " rows, the table " +
                                 std::to_string(mRowCount));
            existing = std::move(column);
            return;
        }
    throw UsageError("no column '" + column.name() + "' to replace");
}

void Table::set(const std::string &name, int64_t row, const Value &value)
{
    for (Column &column : mColumns) {
        if (column.name() != name)
            continue;
        if (row < 0 || row >= mRowCount)
            throw UsageError("row " + std::to_string(row) + " out of range for column '" + name + "'");
        std::vector<double> numbers = column.numbers();
        std::vector<std::string> texts = column.texts();
        if (column.isText())
            texts[size_t(row)] = value.isText ? value.text : Column::numbers("", {value.number}).displayValue(0);
        else if (value.isText)
            throw UsageError("column '" + name + "' holds numbers, got text '" + value.text + "'");
        else
            numbers[size_t(row)] = value.number;
        column = column.isText() ? Column::texts(name, std::move(texts)) : Column::numbers(name, std::move(numbers));
        return;
    }
    throw UsageError("no column '" + name + "'");
}

void Table::convertToText(const std::string &name)
{
    for (Column &column : mColumns)
        if (column.name() == name && !column.isText()) {
            std::vector<std::string> texts;
            for (int64_t row = 0; row < column.size(); ++row)
                texts.push_back(std::isnan(column.number(row)) ? std::string() : column.displayValue(row));
            column = Column::texts(name, std::move(texts));
        }
}

void Table::appendRow(const std::vector<std::pair<std::string, Value>> &row)
{
    const double missingNumber = std::numeric_limits<double>::quiet_NaN();
    for (const auto &[name, value] : row) {
        if (find(name))
            continue;
        mColumns.push_back(value.isText ? Column::texts(name, std::vector<std::string>(size_t(mRowCount)))
                                        : Column::numbers(name, std::vector<double>(size_t(mRowCount), missingNumber)));
    }
    for (Column &column : mColumns) {
        const Value *value = nullptr;
        for (const auto &entry : row)
            if (entry.first == column.name())
                value = &entry.second;
        if (column.isText())
            column.append(value ? (value->isText ? value->text : Column::numbers("", {value->number}).displayValue(0))
                                : std::string());
        else if (value && value->isText)
            throw UsageError("column '" + column.name() + "' holds numbers, got text '" + value->text + "'");
        else
            column.append(value ? value->number : missingNumber);
    }
    ++mRowCount;
}

std::vector<std::pair<std::string, Table::Value>> Table::row(int64_t index) const
{
    std::vector<std::pair<std::string, Value>> values;
    values.reserve(mColumns.size());
    for (const Column &column : mColumns)
        values.emplace_back(column.name(), column.isText() ? Value(column.text(index)) : Value(column.number(index)));
    return values;
}

} // namespace wse
