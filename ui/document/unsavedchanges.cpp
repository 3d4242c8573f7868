#include "document/unsavedchanges.h"

#include <QMessageBox>
#include <QUndoStack>
#include <QWidget>

namespace wse {

UnsavedChanges::UnsavedChanges(QWidget *window, QUndoStack *undo, std::function<bool()> save)
    : QObject(window), mWindow(window), mUndo(undo), mSave(std::move(save))
{
    connect(mUndo, &QUndoStack::cleanChanged, this, &UnsavedChanges::update);
}

bool UnsavedChanges::isModified() const { return mModified; }

void UnsavedChanges::markModified()
{
    mChangedOutsideUndo = true;
    update();
}

void UnsavedChanges::markSaved()
{
    mChangedOutsideUndo = false;
    mUndo->setClean();
    update();
}

void UnsavedChanges::update()
{
    const bool modified = mChangedOutsideUndo || !mUndo->isClean();
    if (modified == mModified)
        return;
    mModified = modified;
    Q_EMIT modifiedChanged(modified);
}

bool UnsavedChanges::mayDiscard(const QString &action)
{
    if (!mModified || !mInteractive)
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"),
                    tr("This session has changes that are not saved in a workspace: labels, selections, "
                       "bookmarks, layouts, generated networks or the view."),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, mWindow);
    box.setObjectName("unsavedChangesBox");
    box.setInformativeText(tr("Save them before %1?").arg(action));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return mSave(); // a failed or cancelled save keeps the window as it is
    case QMessageBox::Discard:
        Q_EMIT discarded();
        return true;
    default:
        return false;
    }
}

} // namespace wse
