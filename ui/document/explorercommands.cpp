#include "document/explorercommands.h"

#include <QObject>

namespace wse {

namespace {

QString editName(ViewEdit edit)
{
    switch (edit) {
    case ViewEdit::Map: return QObject::tr("Change Map");
    case ViewEdit::Layout: return QObject::tr("Change Layout");
    case ViewEdit::Colour: return QObject::tr("Colour By");
    case ViewEdit::ColourOptions: return QObject::tr("Change Colour Scale");
    case ViewEdit::SizeBy: return QObject::tr("Size By");
    case ViewEdit::Filter: return QObject::tr("Filter");
    case ViewEdit::Hidden: return QObject::tr("Hide Categories");
    case ViewEdit::Flat: return QObject::tr("2D/3D Map");
    case ViewEdit::Isolate: return QObject::tr("Isolate Selection");
    case ViewEdit::Selection: return QObject::tr("Select");
    case ViewEdit::Bookmark: return QObject::tr("Show Bookmark");
    }
    return {};
}

// Edits made in small pieces (typing, ticking) merge into one step.
bool merges(ViewEdit edit)
{
    return edit == ViewEdit::ColourOptions || edit == ViewEdit::Filter || edit == ViewEdit::Hidden;
}

bool sameState(const ViewState &a, const ViewState &b)
{
    return a.settings == b.settings && a.selection == b.selection && a.current == b.current;
}

} // namespace

ViewCommand::ViewCommand(ExplorerDocument &document, ViewEdit edit, ViewState before, ViewState after, const QString &text)
    : QUndoCommand(text.isEmpty() ? editName(edit) : text), mDocument(document), mEdit(edit), mBefore(std::move(before)),
      mAfter(std::move(after))
{}

int ViewCommand::id() const
{
    return merges(mEdit) ? 1000 + int(mEdit) : -1;
}

bool ViewCommand::mergeWith(const QUndoCommand *other)
{
    if (other->id() != id())
        return false;
    mAfter = static_cast<const ViewCommand *>(other)->mAfter;
    setObsolete(sameState(mBefore, mAfter)); // typed back to where it began: no step
    return true;
}

LabelCommand::LabelCommand(ExplorerDocument &document, std::vector<int64_t> checkpoints, std::vector<std::string> before,
                           std::vector<std::string> after, const QString &text)
    : QUndoCommand(text), mDocument(document), mCheckpoints(std::move(checkpoints)), mBefore(std::move(before)),
      mAfter(std::move(after))
{}

SavedSelectionCommand::SavedSelectionCommand(ExplorerDocument &document, WorkspaceSelection selection, bool remove)
    : QUndoCommand(remove ? QObject::tr("Remove Selection \"%1\"").arg(QString::fromStdString(selection.name))
                          : QObject::tr("Save Selection \"%1\"").arg(QString::fromStdString(selection.name))),
      mDocument(document), mName(selection.name)
{
    for (const WorkspaceSelection &saved : document.savedSelections())
        if (saved.name == mName)
            mBefore = saved;
    if (!remove)
        mAfter = std::move(selection);
}

void SavedSelectionCommand::redo() { mDocument.putSavedSelection(mName, mAfter); }
void SavedSelectionCommand::undo() { mDocument.putSavedSelection(mName, mBefore); }

BookmarkCommand::BookmarkCommand(ExplorerDocument &document, WorkspaceBookmark bookmark, bool remove)
    : QUndoCommand(remove ? QObject::tr("Remove Bookmark \"%1\"").arg(QString::fromStdString(bookmark.name))
                          : QObject::tr("Add Bookmark \"%1\"").arg(QString::fromStdString(bookmark.name))),
      mDocument(document), mName(bookmark.name)
{
    for (const WorkspaceBookmark &existing : document.bookmarks())
        if (existing.name == mName)
            mBefore = existing;
    if (!remove)
        mAfter = std::move(bookmark);
}

} // namespace wse
