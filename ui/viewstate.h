#pragma once
// An explorer view (map, layout, colouring, filter, selected checkpoint) as JSON: what a
// workspace bookmark stores, and how a window returns to it.
#include <QString>

namespace wse {

class MainWindow;

QString viewStateOf(const MainWindow &window);
// Unknown or stale parts (a column the zoo lacks, a map from a newer version) are skipped.
void applyViewState(MainWindow &window, const QString &json);

} // namespace wse
