#pragma once
// The card shown when hovering a point: model, epoch and the columns a user looks at first.
#include <QString>

#include <cstdint>

namespace wse {

class Zoo;

QString hoverCard(const Zoo &zoo, int64_t checkpoint);

} // namespace wse
