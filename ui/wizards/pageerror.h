#pragma once
// The wizards' way of refusing a page: a red, word-wrapped label on the page that says what is
// wrong (the core's message, which names the file, the field or the limit).
#include <QString>

#include <functional>

class QLabel;
class QWidget;
class QWizard;

namespace wse {

QLabel *pageErrorLabel();                        // add it as a page's last row
QString currentPageError(const QWizard &wizard); // the current page's message, "" when none
// Runs a page's check: true when it throws nothing (the label is cleared), else the exception's
// message goes to `error` and the page is refused.
bool pageCheckPasses(QLabel *error, const std::function<void()> &check);
// Runs a slow part of a check (reading and tokenising a zoo) on a worker thread while the GUI
// keeps painting; `busy` is disabled meanwhile. Rethrows what the work throws.
void runOffGuiThread(QWidget *busy, const std::function<void()> &work);

} // namespace wse
