#pragma once
// The Table dock: the checkpoint table linked to the window's map (rows follow the shown map and
// the filter; selections go both ways, undoably; activating a row shows that checkpoint).
class QMainWindow;

namespace wse {

class CheckpointTable;
class ExplorerDocument;

CheckpointTable *addCheckpointTableDock(QMainWindow &window, ExplorerDocument &document);

} // namespace wse
