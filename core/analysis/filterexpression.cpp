#include "analysis/filterexpression.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace wse {

struct FilterExpression::Node
{
    enum class Kind { Or, And, Not, Compare, In, Column, Number, Text };
    Kind kind;
    std::string op;     // Compare: == != < <= > >=
    std::string name;   // Column name; Text value
    double number = 0;  // Number value
    size_t at = 0;      // position in the text (0-based), for messages
    std::vector<std::unique_ptr<Node>> children;
};

namespace {

using Node = FilterExpression::Node;

// The message shows the expression with a caret under the problem; a long expression is cut to the
// 60 characters either side of it.
[[noreturn]] void fail(const std::string &text, size_t at, const std::string &problem)
{
    const size_t context = 60, first = at > context ? at - context : 0;
    const std::string before = first > 0 ? "..." : "";
    const std::string after = at + context < text.size() ? "..." : "";
    const std::string shown = before + text.substr(first, std::min(text.size(), at + context) - first) + after;
    throw UsageError("filter: " + problem + " at column " + std::to_string(at + 1) + "\n  " + shown + "\n  " +
                     std::string(before.size() + at - first, ' ') + "^");
}

struct Token
{
    enum class Kind { End, Number, Text, Word, Symbol };
    Kind kind = Kind::End;
    std::string text;
    double number = 0;
    size_t at = 0;
};

class Parser
{
public:
    explicit Parser(const std::string &text) : mText(text) { advance(); }

    std::unique_ptr<Node> parseAll()
    {
        auto root = parseOr();
        if (mToken.kind != Token::Kind::End)
            fail(mText, mToken.at, "unexpected '" + mToken.text + "'");
        return root;
    }

private:
    const std::string &mText;
    size_t mPos = 0;
    Token mToken;
    int mDepth = 0;

    void advance()
    {
        while (mPos < mText.size() && std::isspace(static_cast<unsigned char>(mText[mPos])))
            ++mPos;
        mToken = Token();
        mToken.at = mPos;
        if (mPos >= mText.size())
            return;
        const char c = mText[mPos];
        if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && mPos + 1 < mText.size() && std::isdigit(static_cast<unsigned char>(mText[mPos + 1]))) ||
            (c == '-' && mPos + 1 < mText.size() && (std::isdigit(static_cast<unsigned char>(mText[mPos + 1])) || mText[mPos + 1] == '.'))) {
            char *end = nullptr;
            mToken.number = std::strtod(mText.c_str() + mPos, &end);
            mToken.kind = Token::Kind::Number;
            mToken.text = mText.substr(mPos, size_t(end - mText.c_str()) - mPos);
            mPos = size_t(end - mText.c_str());
        } else if (c == '"' || c == '\'') {
            const size_t close = mText.find(c, mPos + 1);
            if (close == std::string::npos)
                fail(mText, mPos, "unterminated text (missing closing quote)");
            mToken.kind = Token::Kind::Text;
            mToken.text = mText.substr(mPos + 1, close - mPos - 1);
            mPos = close + 1;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t end = mPos;
            while (end < mText.size() && (std::isalnum(static_cast<unsigned char>(mText[end])) || mText[end] == '_' || mText[end] == '.' || mText[end] == ':'))
                ++end;
            mToken.kind = Token::Kind::Word;
            mToken.text = mText.substr(mPos, end - mPos);
            mPos = end;
        } else {
            for (const char *symbol : {"&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]", ",", "="}) {
                const std::string s(symbol);
                if (mText.compare(mPos, s.size(), s) == 0) {
                    mToken.kind = Token::Kind::Symbol;
                    mToken.text = s;
                    mPos += s.size();
                    if (s == "=")
                        fail(mText, mToken.at, "'=' is not an operator (use == to compare)");
                    return;
                }
            }
            fail(mText, mPos, std::string("unexpected character '") + c + "'");
        }
    }

    bool accept(const std::string &symbolOrWord)
    {
        if ((mToken.kind == Token::Kind::Symbol || mToken.kind == Token::Kind::Word) && mToken.text == symbolOrWord) {
            advance();
            return true;
        }
        return false;
    }

    std::unique_ptr<Node> make(Node::Kind kind, size_t at)
    {
        auto node = std::make_unique<Node>();
        node->kind = kind;
        node->at = at;
        return node;
    }

    // A run of || (or &&) is one node with a child per operand, so that a long chain nests nothing:
    // evaluating and freeing it recurses no deeper than the parentheses and '!' do.
    std::unique_ptr<Node> parseChain(Node::Kind kind, const char *symbol, const char *word,
                                     std::unique_ptr<Node> (Parser::*operand)())
    {
        auto first = (this->*operand)();
        const bool isOperator = (mToken.kind == Token::Kind::Symbol || mToken.kind == Token::Kind::Word) &&
                                (mToken.text == symbol || mToken.text == word);
        if (!isOperator)
            return first;
        auto node = make(kind, mToken.at);
        node->children.push_back(std::move(first));
        while (accept(symbol) || accept(word))
            node->children.push_back((this->*operand)());
        return node;
    }

    std::unique_ptr<Node> parseOr() { return parseChain(Node::Kind::Or, "||", "or", &Parser::parseAnd); }
    std::unique_ptr<Node> parseAnd() { return parseChain(Node::Kind::And, "&&", "and", &Parser::parseNot); }

    // Parentheses and '!' nest; past MaxNesting levels the expression is refused where it happens.
    void enterNesting(size_t at)
    {
        if (++mDepth > FilterExpression::MaxNesting)
            fail(mText, at, "nested more than " + std::to_string(FilterExpression::MaxNesting) +
                                " levels deep (parentheses and '!')");
    }

    std::unique_ptr<Node> parseNot()
    {
        const size_t at = mToken.at;
        if (accept("!") || accept("not")) {
            enterNesting(at);
            auto node = make(Node::Kind::Not, at);
            node->children.push_back(parseNot());
            --mDepth;
            return node;
        }
        return parseComparison();
    }

    std::unique_ptr<Node> parseComparison()
    {
        auto left = parsePrimary();
        const size_t at = mToken.at;
        for (const char *op : {"==", "!=", "<=", ">=", "<", ">"}) {
            if (accept(op)) {
                auto node = make(Node::Kind::Compare, at);
                node->op = op;
                node->children.push_back(std::move(left));
                node->children.push_back(parsePrimary());
                return node;
            }
        }
        if (accept("in")) {
            auto node = make(Node::Kind::In, at);
            node->children.push_back(std::move(left));
            if (!accept("["))
                fail(mText, mToken.at, "expected '[' after 'in'");
            do {
                if (mToken.kind != Token::Kind::Number && mToken.kind != Token::Kind::Text)
                    fail(mText, mToken.at, "expected a number or quoted text in the list");
                node->children.push_back(parsePrimary());
            } while (accept(","));
            if (!accept("]"))
                fail(mText, mToken.at, "expected ',' or ']'");
            return node;
        }
        return left;
    }

    std::unique_ptr<Node> parsePrimary()
    {
        const Token token = mToken;
        switch (token.kind) {
        case Token::Kind::Number: {
            advance();
            auto node = make(Node::Kind::Number, token.at);
            node->number = token.number;
            return node;
        }
        case Token::Kind::Text: {
            advance();
            auto node = make(Node::Kind::Text, token.at);
            node->name = token.text;
            return node;
        }
        case Token::Kind::Word: {
            if (token.text == "and" || token.text == "or" || token.text == "not" || token.text == "in")
                fail(mText, token.at, "expected a column, number or text before '" + token.text + "'");
            advance();
            auto node = make(Node::Kind::Column, token.at);
            node->name = token.text;
            return node;
        }
        case Token::Kind::Symbol:
            if (token.text == "(") {
                enterNesting(token.at);
                advance();
                auto inner = parseOr();
                if (!accept(")"))
                    fail(mText, mToken.at, "expected ')'");
                --mDepth;
                return inner;
            }
            fail(mText, token.at, "unexpected '" + token.text + "'");
        case Token::Kind::End:
            break;
        }
        fail(mText, token.at, "expression ends too early");
    }
};

// A value of one row: a number or a text.
struct Value
{
    bool isText = false;
    double number = 0;
    std::string text;
};

struct Evaluator
{
    const std::string &text;
    const std::function<const Column *(const std::string &)> &columns;

    const Column &column(const Node &node) const
    {
        const Column *c = columns(node.name);
        if (!c)
            fail(text, node.at, "unknown column '" + node.name + "'");
        return *c;
    }

    Value value(const Node &node, int64_t row) const
    {
        if (node.kind == Node::Kind::Number)
            return {false, node.number, {}};
        if (node.kind == Node::Kind::Text)
            return {true, 0, node.name};
        if (node.kind == Node::Kind::Column) {
            const Column &c = column(node);
            return c.isText() ? Value{true, 0, c.text(row)} : Value{false, c.number(row), {}};
        }
        fail(text, node.at, "expected a value, found a condition");
    }

    bool compare(const Node &node, const Value &a, const Value &b, const std::string &op) const
    {
        if (a.isText != b.isText)
            fail(text, node.at, "cannot compare text with a number");
        if (a.isText) {
            if (op == "==")
                return a.text == b.text;
            if (op == "!=")
                return a.text != b.text;
            fail(text, node.at, "'" + op + "' compares numbers; text supports == and !=");
        }
        if (op == "==") return a.number == b.number;
        if (op == "!=") return a.number != b.number;
        if (op == "<") return a.number < b.number;
        if (op == "<=") return a.number <= b.number;
        if (op == ">") return a.number > b.number;
        return a.number >= b.number;
    }

    bool test(const Node &node, int64_t row) const
    {
        switch (node.kind) {
        case Node::Kind::Or:
            return std::any_of(node.children.begin(), node.children.end(), [&](const auto &c) { return test(*c, row); });
        case Node::Kind::And:
            return std::all_of(node.children.begin(), node.children.end(), [&](const auto &c) { return test(*c, row); });
        case Node::Kind::Not: return !test(*node.children[0], row);
        case Node::Kind::Compare:
            return compare(node, value(*node.children[0], row), value(*node.children[1], row), node.op);
        case Node::Kind::In: {
            const Value left = value(*node.children[0], row);
            for (size_t i = 1; i < node.children.size(); ++i)
                if (compare(*node.children[i], left, value(*node.children[i], row), "=="))
                    return true;
            return false;
        }
        default:
            fail(text, node.at, "expected a condition (a comparison such as test_acc > 0.5), found a value");
        }
    }
};

void collectColumns(const Node &node, std::vector<std::string> &out)
{
    if (node.kind == Node::Kind::Column)
        out.push_back(node.name);
    for (const auto &child : node.children)
        collectColumns(*child, out);
}

void checkColumns(const Node &node, const Evaluator &evaluator)
{
    if (node.kind == Node::Kind::Column)
        evaluator.column(node);
    for (const auto &child : node.children)
        checkColumns(*child, evaluator);
}

} // namespace

FilterExpression::~FilterExpression() = default;
FilterExpression::FilterExpression(FilterExpression &&) noexcept = default;
FilterExpression &FilterExpression::operator=(FilterExpression &&) noexcept = default;

FilterExpression FilterExpression::parse(const std::string &text)
{
    FilterExpression expression;
    expression.mText = text;
    expression.mRoot = Parser(expression.mText).parseAll();
    return expression;
}

std::vector<std::string> FilterExpression::columns() const
{
    std::vector<std::string> names;
    collectColumns(*mRoot, names);
    return names;
}

std::vector<bool> FilterExpression::evaluate(const std::function<const Column *(const std::string &)> &column,
                                             int64_t rows) const
{
    const Evaluator evaluator{mText, column};
    checkColumns(*mRoot, evaluator); // unknown names fail even when there are no rows
    std::vector<bool> result(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r)
        result[size_t(r)] = evaluator.test(*mRoot, r);
    return result;
}

} // namespace wse
