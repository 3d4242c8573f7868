#pragma once
// "Size by": the map's points sized by a numeric column of the zoo (e.g. test accuracy), kept
// across maps and layouts; the choices follow the open zoo's columns.
#include <QString>

class QComboBox;

namespace wse {

class MainWindow;

// Fills `box` with "uniform" and the document's numeric columns whenever a map is shown, and sizes
// the points by the chosen one.
void installSizeBy(MainWindow &window, QComboBox *box);

// The column the points are sized by; empty: uniform. False for an unknown or text column.
bool sizeBy(MainWindow &window, const QString &column);
QString sizeByColumn(const MainWindow &window); // empty: uniform

} // namespace wse
