#pragma once
// The undo commands of the explorer's document: a view step (settings, selection, bookmark),
// labels, a named selection, a bookmark. Each holds what was and what becomes, and applies it
// through the document, which announces the change.
#include "document/explorerdocument.h"

#include <QUndoCommand>

namespace wse {

class ViewCommand : public QUndoCommand
{
public:
    // `text` empty: named after the kind of edit ("Colour By", "Filter", ...).
    ViewCommand(ExplorerDocument &document, ViewEdit edit, ViewState before, ViewState after, const QString &text = {});
    void redo() override { mDocument.apply(mAfter); }
    void undo() override { mDocument.apply(mBefore); }
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    ExplorerDocument &mDocument;
    ViewEdit mEdit;
    ViewState mBefore, mAfter;
};

class LabelCommand : public QUndoCommand
{
public:
    LabelCommand(ExplorerDocument &document, std::vector<int64_t> checkpoints, std::vector<std::string> before,
                 std::vector<std::string> after, const QString &text);
    void redo() override { mDocument.applyLabels(mCheckpoints, mAfter); }
    void undo() override { mDocument.applyLabels(mCheckpoints, mBefore); }

private:
    ExplorerDocument &mDocument;
    std::vector<int64_t> mCheckpoints;
    std::vector<std::string> mBefore, mAfter;
};

// Adds (or with `remove`, takes away) a named selection.
class SavedSelectionCommand : public QUndoCommand
{
public:
    SavedSelectionCommand(ExplorerDocument &document, WorkspaceSelection selection, bool remove);
    void redo() override;
    void undo() override;

private:
    ExplorerDocument &mDocument;
    std::optional<WorkspaceSelection> mBefore, mAfter;
    std::string mName;
};

// Adds a bookmark (replacing one of the same name) or removes one; undo puts back what was.
class BookmarkCommand : public QUndoCommand
{
public:
    BookmarkCommand(ExplorerDocument &document, WorkspaceBookmark bookmark, bool remove);
    void redo() override { mDocument.putBookmark(mName, mAfter); }
    void undo() override { mDocument.putBookmark(mName, mBefore); }

private:
    ExplorerDocument &mDocument;
    std::string mName;
    std::optional<WorkspaceBookmark> mBefore, mAfter;
};

} // namespace wse
