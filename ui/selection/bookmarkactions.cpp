#include "selection/bookmarkactions.h"

#include "document/explorerdocument.h"

#include <QInputDialog>
#include <QMenu>

namespace wse {

BookmarkActions::BookmarkActions(QWidget *window, ExplorerDocument &document, QMenu *viewMenu)
    : QObject(window), mDocument(document)
{
    viewMenu->addSeparator();
    QAction *add = viewMenu->addAction(tr("&Add Bookmark..."));
    add->setShortcut(QKeySequence(tr("Ctrl+B")));
    connect(add, &QAction::triggered, this, [this, window] {
        bool ok = false;
        const QString name = QInputDialog::getText(window, tr("Add Bookmark"), tr("Name of this view:"), QLineEdit::Normal,
                                                   tr("view %1").arg(bookmarks().size() + 1), &ok);
        if (ok)
            addBookmark(name);
    });
    QMenu *goTo = viewMenu->addMenu(tr("&Bookmarks"));
    QMenu *remove = viewMenu->addMenu(tr("Remove Boo&kmark"));
    connect(viewMenu, &QMenu::aboutToShow, this, [this, goTo, remove] {
        goTo->clear();
        remove->clear();
        for (const WorkspaceBookmark &bookmark : bookmarks()) {
            const QString name = QString::fromStdString(bookmark.name);
            goTo->addAction(name, this, [this, name] { mDocument.showBookmark(name); });
            remove->addAction(name, this, [this, name] { removeBookmark(name); });
        }
        goTo->setEnabled(!bookmarks().empty());
        remove->setEnabled(!bookmarks().empty());
    });
}

const std::vector<WorkspaceBookmark> &BookmarkActions::bookmarks() const
{
    return mDocument.bookmarks();
}

bool BookmarkActions::addBookmark(const QString &name)
{
    return mDocument.addBookmark(name);
}

bool BookmarkActions::removeBookmark(const QString &name)
{
    return mDocument.removeBookmark(name);
}

} // namespace wse
