#pragma once
// Undo for every edit of the view: map, layout, colouring column, scale and range, size-by, filter,
// hidden legend categories and 2-D/3-D. Each edit the user makes becomes one step on the window's
// undo stack (beside selections, labels and bookmarks), holding the view before and after it
// (viewstate.h, without the selection, which has steps of its own). Edits of one kind in a row
// (typing a filter, a colour range, ticking legend categories) merge into one step.
#include <QObject>
#include <QString>

class QUndoStack;

namespace wse {

class MainWindow;

class ViewHistory : public QObject
{
    Q_OBJECT

public:
    // Kinds of edit that merge with the step before when it is of the same kind.
    enum class Edit { Map, Layout, Colour, ColourOptions, SizeBy, Filter, Hidden, Flat, Bookmark };

    ViewHistory(MainWindow &window, QUndoStack *undo);
    // Records the edits the user makes with the window's controls (after the window has connected
    // them to what they change, so that each step holds the view after the change).
    void watchUserEdits();

    // After the user changed the view: pushes a step when the view differs from the last one.
    void record(Edit edit);
    // After a load or a bookmark: the view shown now is the base of the next step (no step).
    void rebase();
    bool isApplying() const { return mApplying; }
    // Applies a view from the history (used by its steps).
    void apply(const QString &view);

private:
    MainWindow &mWindow;
    QUndoStack *mUndo;
    QString mShown;
    bool mApplying = false;
};

} // namespace wse
