#include "selection/bookmarkactions.h"

#include "mainwindow.h"
#include "viewstate.h"

#include <QInputDialog>
#include <QMenu>
#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>
#include <optional>

namespace wse {

namespace {
const char *LastView = "last view"; // written by the workspace session on every save
}

// Adds a bookmark (replacing one of the same name) or removes one; undo puts back what was.
class BookmarkCommand : public QUndoCommand
{
public:
    BookmarkCommand(BookmarkActions &owner, const QString &name, std::optional<WorkspaceBookmark> after, const QString &text)
        : QUndoCommand(text), mOwner(owner), mName(name.toStdString()), mAfter(std::move(after))
    {
        for (const WorkspaceBookmark &bookmark : owner.mBookmarks)
            if (bookmark.name == mName)
                mBefore = bookmark;
    }
    void redo() override { put(mAfter); }
    void undo() override { put(mBefore); }

private:
    void put(const std::optional<WorkspaceBookmark> &bookmark)
    {
        std::vector<WorkspaceBookmark> &list = mOwner.mBookmarks;
        const auto same = std::find_if(list.begin(), list.end(), [&](const WorkspaceBookmark &b) { return b.name == mName; });
        if (same != list.end() && bookmark)
            *same = *bookmark;
        else if (same != list.end())
            list.erase(same);
        else if (bookmark)
            list.push_back(*bookmark);
    }

    BookmarkActions &mOwner;
    std::string mName;
    std::optional<WorkspaceBookmark> mBefore, mAfter;
};

BookmarkActions::BookmarkActions(MainWindow &window, QUndoStack *undo, QMenu *viewMenu)
    : QObject(&window), mWindow(window), mUndo(undo)
{
    viewMenu->addSeparator();
    QAction *add = viewMenu->addAction(tr("&Add Bookmark..."));
    add->setShortcut(QKeySequence(tr("Ctrl+B")));
    connect(add, &QAction::triggered, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(&mWindow, tr("Add Bookmark"), tr("Name of this view:"), QLineEdit::Normal,
                                                   tr("view %1").arg(mBookmarks.size() + 1), &ok);
        if (ok)
            addBookmark(name);
    });
    QMenu *goTo = viewMenu->addMenu(tr("&Bookmarks"));
    QMenu *remove = viewMenu->addMenu(tr("Remove Boo&kmark"));
    connect(viewMenu, &QMenu::aboutToShow, this, [this, goTo, remove] {
        goTo->clear();
        remove->clear();
        for (const WorkspaceBookmark &bookmark : mBookmarks) {
            const QString name = QString::fromStdString(bookmark.name);
            goTo->addAction(name, this, [this, name] { mWindow.showBookmark(name); });
            remove->addAction(name, this, [this, name] { removeBookmark(name); });
        }
        goTo->setEnabled(!mBookmarks.empty());
        remove->setEnabled(!mBookmarks.empty());
    });
}

void BookmarkActions::setBookmarks(const std::vector<WorkspaceBookmark> &bookmarks)
{
    mBookmarks.clear();
    for (const WorkspaceBookmark &bookmark : bookmarks)
        if (bookmark.name != LastView)
            mBookmarks.push_back(bookmark);
}

bool BookmarkActions::addBookmark(const QString &name)
{
    if (!mWindow.document() || name.trimmed().isEmpty() || name.trimmed() == LastView)
        return false;
    mUndo->push(new BookmarkCommand(*this, name.trimmed(), WorkspaceBookmark{name.trimmed().toStdString(), viewStateOf(mWindow).toStdString()},
                                    tr("Add Bookmark \"%1\"").arg(name.trimmed())));
    return true;
}

bool BookmarkActions::removeBookmark(const QString &name)
{
    for (const WorkspaceBookmark &bookmark : mBookmarks)
        if (bookmark.name == name.toStdString()) {
            mUndo->push(new BookmarkCommand(*this, name, std::nullopt, tr("Remove Bookmark \"%1\"").arg(name)));
            return true;
        }
    return false;
}

} // namespace wse
