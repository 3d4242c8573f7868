#pragma once
// The Edit menu of the map's selection: undo / redo of every selection edit, select all, none,
// inverse, what the filter matches; isolate the selection or show all; turn the selection into
// a filter expression; box or lasso for Shift-drag. Selection edits are undo commands.
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
    // The points changed (another map): earlier steps no longer apply.
    void forgetHistory();

private:
    void addMenu();

    MainWindow &mWindow;
    MapView *mView;
    QUndoStack *mUndo;
};

} // namespace wse
