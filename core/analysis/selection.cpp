#include "analysis/selection.h"

#include <map>
#include <set>

namespace wse {

namespace {

std::string quotedText(const std::string &text)
{
    // The filter language has no escapes: a value with a double quote goes in single quotes.
    const char quote = text.find('"') == std::string::npos ? '"' : '\'';
    return quote + text + quote;
}

} // namespace

std::string selectionExpression(const Zoo &zoo, const std::vector<int64_t> &checkpoints)
{
    std::map<std::string, std::set<std::string>, std::greater<>> modelsByEpoch;
    std::map<std::string, int64_t> epochNumbers;
    for (int64_t c : checkpoints) {
        const std::string epoch = zoo.checkpointValue(c, zoocol::Epoch);
        modelsByEpoch[epoch].insert(zoo.checkpointValue(c, zoocol::ModelId));
    }
    std::string expression;
    for (const auto &[epoch, models] : modelsByEpoch) {
        std::string list;
        for (const std::string &model : models)
            list += (list.empty() ? "" : ", ") + quotedText(model);
        if (!expression.empty())
            expression += " || ";
        expression += "(epoch == " + epoch + " && model_id in [" + list + "])";
    }
    return expression;
}

std::string sharedValue(const Zoo &zoo, const std::vector<int64_t> &checkpoints, const std::string &column,
                        std::string *problem)
{
    std::set<std::string> values;
    for (int64_t c : checkpoints)
        values.insert(zoo.checkpointValue(c, column));
    if (values.size() == 1)
        return *values.begin();
    if (problem) {
        if (values.empty()) {
            *problem = "no anchors";
        } else {
            std::string list;
            for (const std::string &v : values)
                list += (list.empty() ? "" : ", ") + v;
            *problem = "the anchors mix " + column + " values (" + list + "); a generated network needs one: add " + column +
                       " == \"" + *values.begin() + "\" to the selection";
        }
    }
    return {};
}

} // namespace wse
