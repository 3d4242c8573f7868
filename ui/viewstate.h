#pragma once
// An explorer view (map, layout, colouring with its scale and range, size-by, filter, hidden legend
// categories, 2-D or 3-D, selected checkpoints) as JSON: what a workspace bookmark stores, what
// each step of the view's undo history holds (document/viewhistory.h), and how a window returns to it.
#include <QString>

namespace wse {

class MainWindow;

// `withSelection` false: everything but the selection (which has its own undo steps).
QString viewStateOf(const MainWindow &window, bool withSelection = true);
// Unknown or stale parts (a column the zoo lacks, a map from a newer version) are skipped.
void applyViewState(MainWindow &window, const QString &json, bool withSelection = true);

} // namespace wse
