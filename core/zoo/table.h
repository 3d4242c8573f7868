#pragma once
// A small column store for model and checkpoint metadata: every column is either numeric
// (hyper-parameters such as lr, metrics such as test_acc) or text (init, activation, dataset).
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

class Column
{
public:
    enum class Kind { Number, Text };

    static Column numbers(std::string name, std::vector<double> values);
    static Column texts(std::string name, std::vector<std::string> values);

    const std::string &name() const { return mName; }
    Kind kind() const { return mKind; }
    bool isText() const { return mKind == Kind::Text; }
    int64_t size() const;

    double number(int64_t row) const { return mNumbers.at(size_t(row)); }
    const std::string &text(int64_t row) const { return mTexts.at(size_t(row)); }
    const std::vector<double> &numbers() const { return mNumbers; }
    const std::vector<std::string> &texts() const { return mTexts; }

    // The value as a user reads it: integers without decimals, others with 4 significant digits.
    std::string displayValue(int64_t row) const;

    // Distinct text values in order of first appearance (empty for numeric columns).
    std::vector<std::string> categories() const;

    void append(double value);
    void append(std::string value);

private:
    std::string mName;
    Kind mKind = Kind::Number;
    std::vector<double> mNumbers;
    std::vector<std::string> mTexts;
};

class Table
{
public:
    int64_t rowCount() const { return mRowCount; }
    const std::vector<Column> &columns() const { return mColumns; }

    // Adds a column; all columns must have the same length. Throws UsageError on a clash.
    void addColumn(Column column);
    const Column *find(const std::string &name) const;
    const Column &get(const std::string &name) const; // throws UsageError naming the column

    // Appends one row given as (name -> value) for every column; missing numbers become NaN and
    // missing texts empty. Unknown names create a new column, back-filled for earlier rows.
    struct Value
    {
        Value(double v) : isText(false), number(v) {}
        Value(int v) : isText(false), number(v) {}
        Value(int64_t v) : isText(false), number(double(v)) {}
        Value(std::string v) : isText(true), text(std::move(v)) {}
        Value(const char *v) : isText(true), text(v) {}
        bool isText;
        double number = 0.0;
        std::string text;
    };
    void appendRow(const std::vector<std::pair<std::string, Value>> &row);
    // One row as appendRow takes it (to copy rows between tables).
    std::vector<std::pair<std::string, Value>> row(int64_t index) const;
    // Changes one value of an existing column (numeric or text as the column is).
    void set(const std::string &name, int64_t row, const Value &value);
    // Replaces the column of the same name (same length). Throws UsageError otherwise.
    void replaceColumn(Column column);
    // Turns a numeric column into text (values as displayed), e.g. when a later row brings text.
    void convertToText(const std::string &name);

private:
    std::vector<Column> mColumns;
    int64_t mRowCount = 0;
};

} // namespace wse
