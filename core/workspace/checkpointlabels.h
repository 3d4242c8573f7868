#pragma once
// Labels users give checkpoints on the map ("good cluster", "diverged"): in memory a text column
// of the zoo's checkpoint table (empty: unlabelled), so that the map can be coloured and
// filtered by it and the table shows it; in the workspace, named sets of checkpoints.
#include "workspace/workspace.h"
#include "zoo/zoo.h"

#include <string>
#include <vector>

namespace wse {

// Adds the label column to the zoo's checkpoints, filled from `labels`, and returns its name:
// "label", or "user_label" where the zoo has a "label" column of its own. Throws FormatError
// naming `source` for a label naming a checkpoint the zoo does not have.
std::string addLabelColumn(Zoo &zoo, const std::vector<WorkspaceLabel> &labels, const std::string &source);

// The labels of a label column, in order of first appearance.
std::vector<WorkspaceLabel> labelsIn(const Zoo &zoo, const std::string &column);

} // namespace wse
