#pragma once
// Bookmarks: named views (map, layout, colouring, filter, selection, current checkpoint) kept in
// the workspace, in the View menu: add the current view, go to one, remove one. Adding and
// removing are undo steps; `wse-explorer WS.h5 --bookmark NAME` opens one from the command line.
#include "workspace/workspace.h"

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

class QMenu;
class QUndoStack;

namespace wse {

class MainWindow;

class BookmarkActions : public QObject
{
    Q_OBJECT

public:
    BookmarkActions(MainWindow &window, QUndoStack *undo, QMenu *viewMenu);

    // The workspace's bookmarks without "last view" (the session writes that one itself).
    const std::vector<WorkspaceBookmark> &bookmarks() const { return mBookmarks; }
    void setBookmarks(const std::vector<WorkspaceBookmark> &bookmarks);
    bool addBookmark(const QString &name); // the current view; false without a zoo or a name
    bool removeBookmark(const QString &name);

private:
    friend class BookmarkCommand;
    MainWindow &mWindow;
    QUndoStack *mUndo;
    std::vector<WorkspaceBookmark> mBookmarks;
};

} // namespace wse
