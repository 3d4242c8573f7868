#pragma once
// One way to report a failed action: a critical message box titled "Error <doing what>" ("Error
// Opening Zoo", "Error Exporting Points") whose text names the file and the problem, also logged to
// the Messages dock.
#include <QString>

class QWidget;

namespace wse {

void showError(QWidget *parent, const QString &doingWhat, const QString &message);

} // namespace wse
