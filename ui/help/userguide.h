#pragma once
// Help > User Guide: the README and docs/ shown in a window of their own (Markdown, with the
// screenshots), following links between the pages.
#include <QString>

class QWidget;

namespace wse {

// The folder holding README.md and docs/: $WSE_GUIDE_DIR, else the installed copy
// (<prefix>/share/weight-space-explorer/guide beside <prefix>/bin), else the checkout a build
// from source was made from. Empty when none of them has README.md.
QString userGuideFolder();
// Opens the guide's window (one per explorer); a message names the folders looked in when there
// is no guide.
void showUserGuide(QWidget *parent);

} // namespace wse
