#pragma once
// The wizards' way of refusing a page: a red, word-wrapped label on the page that says what is
// wrong (the core's message, which names the file, the field or the limit).
#include <QString>

class QLabel;
class QWizard;

namespace wse {

QLabel *pageErrorLabel();                        // add it as a page's last row
QString currentPageError(const QWizard &wizard); // the current page's message, "" when none

} // namespace wse
