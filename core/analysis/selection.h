#pragma once
// A set of checkpoints picked on the map, written as a filter expression (so a selection can be
// used wherever an expression is: as sampling anchors, in `wse sample --anchors`, in a saved view),
// and the check that anchors share what a generated network needs one of.
#include "zoo/zoo.h"

#include <string>
#include <vector>

namespace wse {

// An expression matching exactly these checkpoints, epochs that pick the same models grouped:
//   (epoch in [0, 1, 2] && model_id in ["a", "b"]) || (epoch == 3 && model_id in ["c"])
// Empty for no checkpoints.
std::string selectionExpression(const Zoo &zoo, const std::vector<int64_t> &checkpoints);

// The one value the checkpoints share in `column`; when they mix values, an empty string and the
// reason in `problem` ("the anchors mix activation values (relu, tanh); ...").
std::string sharedValue(const Zoo &zoo, const std::vector<int64_t> &checkpoints, const std::string &column,
                        std::string *problem);

} // namespace wse
