#pragma once
// The Edit menu of the map's selection: undo / redo of every selection edit, select all, none,
// inverse, what the filter matches; isolate the selection or show all; turn the selection into
// a filter expression; named selections saved with the workspace; box or lasso for Shift-drag.
// The selection is the explorer document's (zoo checkpoints, so it holds on every map of the zoo);
// every edit of it is an undo step there.
#include "workspace/workspace.h"

#include <QObject>
#include <QString>

#include <vector>

class QMainWindow;
class QUndoStack;

namespace wse {

class ExplorerDocument;
class MapView;

class SelectionActions : public QObject
{
    Q_OBJECT

public:
    SelectionActions(QMainWindow *window, ExplorerDocument &document, MapView *view);

    QUndoStack *undoStack() const; // the document's
    // Selects these points (map indices) as one undoable step named `what`.
    void select(std::vector<int> points, const QString &what);
    void selectMatchingFilter();
    void filterToSelection();
    void isolateSelection(); // hides every point outside the selection

    // Named selections (the workspace's).
    const std::vector<WorkspaceSelection> &savedSelections() const;
    bool saveSelection(const QString &name);    // the current selection, undoably; false if empty
    bool restoreSelection(const QString &name); // selects it (undoably); false if unknown
    bool removeSelection(const QString &name);

private:
    void addMenu();
    void invertSelection();

    QMainWindow *mWindow;
    ExplorerDocument &mDocument;
    MapView *mView;
};

} // namespace wse
