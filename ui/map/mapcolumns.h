#pragma once
// Zoo columns as a map sees them: restricted to the map's checkpoints, in point order, and the
// filter expression's answer per point.
#include "zoo/zoo.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

// One value per map point (checkpoint columns as they are, model columns repeated).
Column columnOnMap(const Zoo &zoo, const std::vector<int64_t> &checkpoints, const std::string &name);

// Filter answers for the given checkpoints (throws UsageError for a bad expression, pointing at
// the column).
std::vector<bool> filterMask(const Zoo &zoo, const std::vector<int64_t> &checkpoints, const std::string &expression);

} // namespace wse
