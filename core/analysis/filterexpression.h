#pragma once
// A small expression language over a table's columns, for selecting checkpoints:
//   activation == "tanh" && test_acc > 0.7 && epoch in [5, 10]
// Operators: == != < <= > >= (numbers; == and != also text), in [v, ...] (membership),
// && || ! (also and, or, not), parentheses. Text literals in double or single quotes; bare words
// are column names. Errors name the column (character position) of the problem.
#include "zoo/table.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wse {

class FilterExpression
{
public:
    // How deep parentheses and '!' may nest: deeper expressions are refused with the column where the
    // limit is passed (no person writes them; a hostile file might, to exhaust the stack).
    static constexpr int MaxNesting = 200;

    // Throws UsageError "filter: <problem> at column N" with the text and a caret on a second line.
    static FilterExpression parse(const std::string &text);
    ~FilterExpression();
    FilterExpression(FilterExpression &&) noexcept;
    FilterExpression &operator=(FilterExpression &&) noexcept;

    const std::string &text() const { return mText; }
    std::vector<std::string> columns() const; // the column names used

    // One answer per row. `column(name)` returns the column or nullptr; an unknown name, or a
    // comparison of text with a number, throws UsageError pointing at it.
    std::vector<bool> evaluate(const std::function<const Column *(const std::string &)> &column, int64_t rows) const;

    struct Node;

private:
    FilterExpression() = default;
    std::string mText;
    std::unique_ptr<Node> mRoot;
};

} // namespace wse
