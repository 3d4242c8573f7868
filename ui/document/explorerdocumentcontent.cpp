// ExplorerDocument's derived views of the zoo (the shown map's points, colouring, filter matches,
// hidden points, sizes), the selection, labels, named selections and bookmarks.
#include "document/explorerdocument.h"

#include "document/explorercommands.h"
#include "document/zoodocument.h"
#include "map/colouring.h"
#include "map/mapcolumns.h"

#include "common/error.h"

#include <QUndoStack>

#include <algorithm>
#include <stdexcept>

namespace wse {

namespace {

const char *const LastView = "last view";
const Rgb FilteredOut{222, 222, 222};

const Column *columnOf(const Zoo &zoo, const std::string &name)
{
    const Column *column = zoo.checkpoints.find(name);
    return column ? column : zoo.models.find(name);
}

} // namespace

const WeightMap &ExplorerDocument::shownMap() const
{
    if (!mZoo)
        throw std::logic_error("ExplorerDocument::shownMap without a zoo");
    return mZoo->map(mView.map);
}

int ExplorerDocument::pointCount() const
{
    return mZoo ? int(shownMap().checkpoints.size()) : 0;
}

int64_t ExplorerDocument::checkpointOf(int point) const
{
    return shownMap().checkpoints.at(size_t(point));
}

std::vector<int> ExplorerDocument::pointsOf(const std::vector<int64_t> &checkpoints) const
{
    if (!mZoo)
        return {};
    std::vector<bool> wanted(size_t(mZoo->zoo().checkpointCount()), false);
    for (int64_t checkpoint : checkpoints)
        if (checkpoint >= 0 && size_t(checkpoint) < wanted.size())
            wanted[size_t(checkpoint)] = true;
    const std::vector<int64_t> &onMap = shownMap().checkpoints;
    std::vector<int> points;
    for (size_t i = 0; i < onMap.size(); ++i)
        if (wanted[size_t(onMap[i])])
            points.push_back(int(i));
    return points;
}

QStringList ExplorerDocument::colourableColumns() const
{
    return mZoo ? mZoo->colourableColumns() : QStringList();
}

QStringList ExplorerDocument::sizeColumns() const
{
    QStringList names;
    for (const QString &name : colourableColumns())
        if (const Column *column = columnOf(mZoo->zoo(), name.toStdString()); column && !column->isText())
            names << name;
    return names;
}

const std::vector<bool> &ExplorerDocument::filterMatches() const
{
    if (!mDerived->matches) {
        mDerived->matches.emplace();
        if (mZoo && !mView.filter.isEmpty())
            *mDerived->matches = filterMask(mZoo->zoo(), shownMap().checkpoints, mView.filter.toStdString());
    }
    return *mDerived->matches;
}

int ExplorerDocument::matchingPoints() const
{
    const std::vector<bool> &matches = filterMatches();
    return mView.filter.isEmpty() ? pointCount() : int(std::count(matches.begin(), matches.end(), true));
}

const Colouring &ExplorerDocument::colouring() const
{
    if (!mDerived->colouring) {
        mDerived->colouring.emplace();
        if (mZoo && !mView.colourBy.isEmpty()) {
            *mDerived->colouring =
                wse::colourBy(columnOnMap(mZoo->zoo(), shownMap().checkpoints, mView.colourBy.toStdString()), mView.colourOptions);
            const std::vector<bool> &matches = filterMatches();
            for (size_t i = 0; i < matches.size(); ++i)
                if (!matches[i])
                    mDerived->colouring->colours[i] = FilteredOut;
        }
    }
    return *mDerived->colouring;
}

std::vector<bool> ExplorerDocument::hiddenPoints() const
{
    if (!mZoo)
        return {};
    std::vector<bool> hidden;
    if (!mView.hidden.isEmpty() && !mView.colourBy.isEmpty()) {
        const Column column = columnOnMap(mZoo->zoo(), shownMap().checkpoints, mView.colourBy.toStdString());
        if (column.isText()) {
            hidden.assign(size_t(column.size()), false);
            for (size_t i = 0; i < hidden.size(); ++i)
                hidden[i] = mView.hidden.contains(QString::fromStdString(column.text(int64_t(i))));
        }
    }
    if (mView.isolated && !mSelection.empty()) {
        std::vector<bool> outside(size_t(pointCount()), true);
        for (int point : selectedPoints())
            outside[size_t(point)] = false;
        if (hidden.empty())
            return outside;
        for (size_t i = 0; i < hidden.size(); ++i)
            hidden[i] = hidden[i] || outside[i];
    }
    return hidden;
}

std::vector<double> ExplorerDocument::sizeValues() const
{
    if (!mZoo || mView.sizeBy.isEmpty())
        return {};
    return columnOnMap(mZoo->zoo(), shownMap().checkpoints, mView.sizeBy.toStdString()).numbers();
}

std::vector<int> ExplorerDocument::selectedPoints() const
{
    return pointsOf(mSelection);
}

void ExplorerDocument::select(std::vector<int64_t> checkpoints, const QString &what)
{
    if (!mZoo)
        return;
    std::sort(checkpoints.begin(), checkpoints.end());
    checkpoints.erase(std::unique(checkpoints.begin(), checkpoints.end()), checkpoints.end());
    if (checkpoints == mSelection)
        return;
    ViewState next = state();
    next.selection = std::move(checkpoints);
    if (next.selection.empty())
        next.settings.isolated = false; // nothing left to isolate
    mUndo->push(new ViewCommand(*this, ViewEdit::Selection, state(), next, what));
}

void ExplorerDocument::selectPoints(const std::vector<int> &points, const QString &what)
{
    if (!mZoo)
        return;
    std::vector<int64_t> checkpoints;
    for (int point : points)
        checkpoints.push_back(checkpointOf(point));
    select(std::move(checkpoints), what);
}

int ExplorerDocument::currentPoint() const
{
    if (!mZoo || mCurrent < 0)
        return -1;
    const std::vector<int64_t> &onMap = shownMap().checkpoints;
    const auto it = std::find(onMap.begin(), onMap.end(), mCurrent);
    return it == onMap.end() ? -1 : int(it - onMap.begin());
}

void ExplorerDocument::setCurrentPoint(int point)
{
    mCurrent = mZoo && point >= 0 && point < pointCount() ? checkpointOf(point) : -1;
    mDerived->neighbours.reset();
    announce(ChangeEvent::Type::Current);
}

const std::vector<std::pair<int, double>> &ExplorerDocument::currentNeighbours() const
{
    if (!mDerived->neighbours) {
        const int point = currentPoint();
        mDerived->neighbours = point >= 0 ? shownMap().nearestPoints(mZoo->zoo(), point, 5) : std::vector<std::pair<int, double>>{};
    }
    return *mDerived->neighbours;
}

QString ExplorerDocument::labelColumn() const
{
    return mZoo ? QString::fromStdString(mZoo->labelColumn()) : QString();
}

std::vector<std::string> ExplorerDocument::labelsOf(const std::vector<int64_t> &checkpoints) const
{
    return mZoo ? mZoo->labelsOf(checkpoints) : std::vector<std::string>(checkpoints.size());
}

void ExplorerDocument::setLabels(const std::vector<int64_t> &checkpoints, const std::vector<std::string> &texts,
                                 const QString &what)
{
    if (mZoo && !checkpoints.empty())
        mUndo->push(new LabelCommand(*this, checkpoints, labelsOf(checkpoints), texts, what));
}

void ExplorerDocument::applyLabels(const std::vector<int64_t> &checkpoints, const std::vector<std::string> &texts)
{
    if (!mZoo)
        return;
    mZoo->setLabels(checkpoints, texts);
    const QString column = labelColumn();
    const bool colours = mView.colourBy == column, filter = mView.filter.contains(column);
    forgetDerived(colours, filter); // the colours and the filter's matches follow the labels
    if (colours || filter)
        announce(ChangeEvent::Type::Colouring);
    if (filter)
        announce(ChangeEvent::Type::Filter);
    if (colours)
        announce(ChangeEvent::Type::Hidden);
    announce(ChangeEvent::Type::Labels);
}

bool ExplorerDocument::saveSelection(const QString &name)
{
    const std::string trimmed = name.trimmed().toStdString();
    if (trimmed.empty() || mSelection.empty())
        return false;
    mUndo->push(new SavedSelectionCommand(*this, WorkspaceSelection{trimmed, mSelection}, false));
    return true;
}

bool ExplorerDocument::restoreSelection(const QString &name)
{
    for (const WorkspaceSelection &saved : mSavedSelections)
        if (saved.name == name.toStdString()) {
            select(saved.checkpoints, tr("Select \"%1\"").arg(name));
            return true;
        }
    return false;
}

bool ExplorerDocument::removeSelection(const QString &name)
{
    for (const WorkspaceSelection &saved : mSavedSelections)
        if (saved.name == name.toStdString()) {
            mUndo->push(new SavedSelectionCommand(*this, saved, true));
            return true;
        }
    return false;
}

void ExplorerDocument::putSavedSelection(const std::string &name, const std::optional<WorkspaceSelection> &selection)
{
    auto &saved = mSavedSelections;
    saved.erase(std::remove_if(saved.begin(), saved.end(), [&](const WorkspaceSelection &s) { return s.name == name; }), saved.end());
    if (selection)
        saved.push_back(*selection);
    announce(ChangeEvent::Type::SavedSelections);
}

bool ExplorerDocument::addBookmark(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (!mZoo || trimmed.isEmpty() || trimmed == LastView)
        return false;
    mUndo->push(new BookmarkCommand(*this, WorkspaceBookmark{trimmed.toStdString(), viewJson().toStdString()}, false));
    return true;
}

bool ExplorerDocument::removeBookmark(const QString &name)
{
    for (const WorkspaceBookmark &bookmark : mBookmarks)
        if (bookmark.name == name.toStdString()) {
            mUndo->push(new BookmarkCommand(*this, bookmark, true));
            return true;
        }
    return false;
}

void ExplorerDocument::putBookmark(const std::string &name, const std::optional<WorkspaceBookmark> &bookmark)
{
    const auto same = std::find_if(mBookmarks.begin(), mBookmarks.end(), [&](const WorkspaceBookmark &b) { return b.name == name; });
    if (same != mBookmarks.end() && bookmark)
        *same = *bookmark;
    else if (same != mBookmarks.end())
        mBookmarks.erase(same);
    else if (bookmark)
        mBookmarks.push_back(*bookmark);
    announce(ChangeEvent::Type::Bookmarks);
}

bool ExplorerDocument::showBookmark(const QString &name)
{
    if (!mZoo)
        return false;
    std::vector<WorkspaceBookmark> bookmarks = mBookmarks;
    if (const Workspace *workspace = mZoo->openedWorkspace())
        bookmarks.insert(bookmarks.end(), workspace->bookmarks.begin(), workspace->bookmarks.end());
    for (const WorkspaceBookmark &bookmark : bookmarks)
        if (bookmark.name == name.toStdString()) {
            const std::optional<ViewState> view = viewFromJson(QString::fromStdString(bookmark.stateJson), mView);
            return view && edit(view->settings, ViewEdit::Bookmark, &*view);
        }
    return false;
}

QString ExplorerDocument::viewJson(bool withSelection) const
{
    return viewToJson(mView, withSelection ? &mSelection : nullptr, mCurrent);
}

bool ExplorerDocument::applyViewJson(const QString &json)
{
    const std::optional<ViewState> view = viewFromJson(json, mView);
    if (view)
        apply(*view);
    return bool(view);
}

} // namespace wse
