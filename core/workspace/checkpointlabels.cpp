#include "workspace/checkpointlabels.h"

#include "common/error.h"

#include <map>

namespace wse {

std::string addLabelColumn(Zoo &zoo, const std::vector<WorkspaceLabel> &labels, const std::string &source)
{
    const bool taken = zoo.checkpoints.find("label") || zoo.models.find("label");
    const std::string name = taken ? "user_label" : "label";
    const int64_t count = zoo.checkpointCount();
    std::vector<std::string> texts(static_cast<size_t>(count));
    for (const WorkspaceLabel &label : labels)
        for (int64_t checkpoint : label.checkpoints) {
            if (checkpoint < 0 || checkpoint >= count)
                throw FormatError(source, "label '" + label.name + "' names checkpoint " + std::to_string(checkpoint) +
                                              ", but the zoo has " + std::to_string(count) + " checkpoints");
            texts[size_t(checkpoint)] = label.name;
        }
    zoo.checkpoints.addColumn(Column::texts(name, std::move(texts)));
    return name;
}

std::vector<WorkspaceLabel> labelsIn(const Zoo &zoo, const std::string &column)
{
    std::vector<WorkspaceLabel> labels;
    std::map<std::string, size_t> index;
    const Column &texts = zoo.checkpoints.get(column);
    for (int64_t checkpoint = 0; checkpoint < texts.size(); ++checkpoint) {
        const std::string &text = texts.text(checkpoint);
        if (text.empty())
            continue;
        auto [it, added] = index.emplace(text, labels.size());
        if (added)
            labels.push_back(WorkspaceLabel{text, {}});
        labels[it->second].checkpoints.push_back(checkpoint);
    }
    return labels;
}

} // namespace wse
