#pragma once
// The explorer's View menu: reset the camera, trajectories, the 2D map, light or dark theme
// (kept in the settings), and a switch for every dock. Bookmarks add themselves to it.
class QMenu;

namespace wse {

class MainWindow;

QMenu *addViewMenu(MainWindow &window);
// Applies the theme saved in the settings ("light" or "dark") to the application and the map.
void applySavedTheme(MainWindow &window);

} // namespace wse
