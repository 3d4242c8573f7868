#include "analysis/selection.h"

#include <map>
#include <set>
#include <sstream>

namespace wse {

namespace {

std::string quotedText(const std::string &text)
{
    // The filter language has no escapes: a value with a double quote goes in single quotes.
    const char quote = text.find('"') == std::string::npos ? '"' : '\'';
    return quote + text + quote;
}

// Epochs are whole numbers; anything else keeps every digit it needs.
std::string numberText(double value)
{
    std::ostringstream text;
    text.precision(17);
    text << value;
    return text.str();
}

} // namespace

std::string selectionExpression(const Zoo &zoo, const std::vector<int64_t> &checkpoints)
{
    // Epochs that select the same models share one clause: a cluster of whole trajectories is
    // one "epoch in [...] && model_id in [...]".
    std::map<double, std::set<std::string>> modelsByEpoch;
    const Column epochs = zoo.checkpointColumn(zoocol::Epoch);
    for (int64_t c : checkpoints)
        modelsByEpoch[epochs.number(c)].insert(zoo.checkpointValue(c, zoocol::ModelId));
    std::map<std::set<std::string>, std::vector<std::string>> epochsByModels;
    for (const auto &[epoch, models] : modelsByEpoch)
        epochsByModels[models].push_back(numberText(epoch));
    std::string expression;
    for (const auto &[models, epochList] : epochsByModels) {
        std::string list;
        for (const std::string &model : models)
            list += (list.empty() ? "" : ", ") + quotedText(model);
        std::string epochText = epochList.front();
        if (epochList.size() > 1) {
            epochText.clear();
            for (const std::string &epoch : epochList)
                epochText += (epochText.empty() ? "" : ", ") + epoch;
            epochText = "in [" + epochText + "]";
        } else {
            epochText = "== " + epochText;
        }
        if (!expression.empty())
            expression += " || ";
        expression += "(epoch " + epochText + " && model_id in [" + list + "])";
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
