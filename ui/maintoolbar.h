#pragma once
// The main toolbar: the most common actions of the menus (open, save, export a figure; embed,
// sample, decode; train a zoo or SANE, the jobs), the same QActions, so state and shortcuts agree.
class QMainWindow;
class QToolBar;

namespace wse {

// After the menus are built: the actions are found by their object names.
QToolBar *addMainToolBar(QMainWindow &window);

} // namespace wse
