#include "common/jsonread.h"

#include "common/utf8.h"

#include <utility>

namespace wse::jsonread {

namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, column 3: ".
std::string withoutLibraryPrefix(const std::string &message)
{
    const size_t bracket = message.find("] ");
    std::string text = message.compare(0, 16, "[json.exception.") == 0 && bracket != std::string::npos
                           ? message.substr(bracket + 2)
                           : message;
    return text;
}

// Deepest nesting of arrays and objects, without recursion (the value may come from a hostile file).
int depthOf(const nlohmann::json &root)
{
    int deepest = 0;
    std::vector<std::pair<const nlohmann::json *, int>> pending{{&root, 1}};
    while (!pending.empty()) {
        const auto [value, depth] = pending.back();
        pending.pop_back();
        if (!value->is_structured())
            continue;
        deepest = std::max(deepest, depth);
        if (depth > MaxDepth)
            return depth;
        for (const nlohmann::json &child : *value)
            pending.push_back({&child, depth + 1});
    }
    return deepest;
}

} // namespace

std::string describe(const nlohmann::json::exception &error) { return withoutLibraryPrefix(error.what()); }

nlohmann::json parseObject(const std::string &text, const std::string &label, const std::string &what)
{
    const size_t bad = firstInvalidUtf8(text);
    if (bad != std::string::npos)
        throw FormatError(label, "not valid UTF-8 at byte " + std::to_string(bad) + " (a JSON file is UTF-8 text)");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &error) {
        throw FormatError(label, "not valid JSON: " + describe(error));
    }
    if (!j.is_object())
        throw FormatError(label, "a " + what + " is a JSON object ({\"key\": value, ...}), but this file holds " +
                                     (j.is_null() ? std::string("null") : j.is_array() ? "a list" : "a single value"));
    if (depthOf(j) > MaxDepth)
        throw FormatError(label, "nested more than " + std::to_string(MaxDepth) + " levels deep");
    return j;
}

std::string shown(const nlohmann::json &value)
{
    if (value.is_structured())
        return value.is_array() ? "a list" : "an object";
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    return text;
}

} // namespace wse::jsonread
