#pragma once
// The Edit menu of the map's selection: undo / redo of every selection edit, select all, none,
// inverse, what the filter matches; isolate the selection or show all; turn the selection into
// a filter expression; named selections saved with the workspace; box or lasso for Shift-drag.
// Selection edits are undo commands over zoo checkpoints, so they hold on every map of the zoo.
#include "workspace/workspace.h"

#include <QObject>
#include <QString>

#include <vector>

class QUndoStack;

namespace wse {

class MainWindow;
class MapView;

class SelectionActions : public QObject
{
    Q_OBJECT

public:
    SelectionActions(MainWindow &window, MapView *view);

    QUndoStack *undoStack() const { return mUndo; }
    // Selects these points (map indices) as one undoable step named `what`.
    void select(std::vector<int> points, const QString &what);
    void selectMatchingFilter();
    void filterToSelection();
    void isolateSelection(); // hides every point outside the selection

    // Named selections (the workspace's). Setting them (another zoo opened) clears the history.
    const std::vector<WorkspaceSelection> &savedSelections() const { return mSaved; }
    void setSavedSelections(std::vector<WorkspaceSelection> saved);
    bool saveSelection(const QString &name);    // the current selection, undoably; false if empty
    bool restoreSelection(const QString &name); // selects it (undoably); false if unknown
    bool removeSelection(const QString &name);

private:
    friend class SavedSelectionCommand;
    void addMenu();

    MainWindow &mWindow;
    MapView *mView;
    QUndoStack *mUndo;
    std::vector<WorkspaceSelection> mSaved;
};

} // namespace wse
