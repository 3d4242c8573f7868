#pragma once
// Bookmarks in the View menu: named views (map, layout, colouring, filter, selection, current
// checkpoint) kept by the explorer's document and saved in the workspace: add the current view,
// go to one, remove one — each an undo step. `wse-explorer WS.h5 --bookmark NAME` opens one from
// the command line.
#include "workspace/workspace.h"

#include <QObject>
#include <QString>

#include <vector>

class QMenu;
class QWidget;

namespace wse {

class ExplorerDocument;

class BookmarkActions : public QObject
{
    Q_OBJECT

public:
    BookmarkActions(QWidget *window, ExplorerDocument &document, QMenu *viewMenu);

    // The workspace's bookmarks without "last view" (the session writes that one itself).
    const std::vector<WorkspaceBookmark> &bookmarks() const;
    bool addBookmark(const QString &name); // the current view; false without a zoo or a name
    bool removeBookmark(const QString &name);

private:
    ExplorerDocument &mDocument;
};

} // namespace wse
