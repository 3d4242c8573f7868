#pragma once
// The Help menu: the user guide, keyboard shortcuts, About and About Qt.
class QMainWindow;

namespace wse {

void addHelpMenu(QMainWindow &window);

} // namespace wse
