#pragma once
// Whether the explorer's session holds work that is not in a workspace file yet, and the question
// asked before that work would be lost (closing the window, opening another file): Save, Discard or
// Cancel, as Qt applications ask it. Edits on the undo stack count through its clean state; other
// changes of what the user sees (colouring, filter, map, a finished layout, generated networks) are
// reported with markModified(). Drives the window's "modified" mark ([*] in its title).
#include <QObject>
#include <QString>

#include <functional>

class QUndoStack;
class QWidget;

namespace wse {

class UnsavedChanges : public QObject
{
    Q_OBJECT

public:
    // `save` saves the session (asking for a file when it has none); false when it did not.
    UnsavedChanges(QWidget *window, QUndoStack *undo, std::function<bool()> save);

    bool isModified() const;
    void markModified();
    void markSaved(); // after a load or a save: what is shown is what the file holds

    // With unsaved changes asks Save / Discard / Cancel before `action` ("closing", "opening a.h5").
    // True when the caller may go on: nothing to save, saved, or discarded.
    bool mayDiscard(const QString &action);

    // Dialogs are not shown in scripted use (tests, --screenshot): mayDiscard then answers true.
    void setInteractive(bool interactive) { mInteractive = interactive; }

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void discarded(); // the user chose Discard

private:
    void update();

    QWidget *mWindow;
    QUndoStack *mUndo;
    std::function<bool()> mSave;
    bool mChangedOutsideUndo = false;
    bool mModified = false;
    bool mInteractive = true;
};

} // namespace wse
