#include "document/explorerdocument.h"

#include "document/explorercommands.h"
#include "document/zoodocument.h"
#include "map/colouring.h"
#include "map/mapcolumns.h"

#include "common/error.h"

#include <QUndoStack>

#include <algorithm>

namespace wse {

namespace {
const char *const LastView = "last view"; // written by the workspace session on every save
}

ExplorerDocument::ExplorerDocument(QObject *parent)
    : QObject(parent), mUndo(new QUndoStack(this)), mDerived(std::make_unique<Derived>())
{}

ExplorerDocument::~ExplorerDocument() = default;

void ExplorerDocument::open(std::shared_ptr<ZooDocument> zoo)
{
    mUndo->clear();
    mZoo = std::move(zoo);
    ViewSettings view; // a new zoo starts unfiltered, with every category and point shown
    view.map = mView.map;
    view.layout = mView.layout;
    view.colourBy = mView.colourBy;
    view.colourOptions = mView.colourOptions;
    view.sizeBy = mView.sizeBy;
    view.flat = mView.flat;
    mView = validated(view, &mFilterError);
    mSelection.clear();
    mCurrent = -1;
    mSavedSelections.clear();
    mBookmarks.clear();
    if (const Workspace *workspace = mZoo ? mZoo->openedWorkspace() : nullptr) {
        mSavedSelections = workspace->selections;
        for (const WorkspaceBookmark &bookmark : workspace->bookmarks)
            if (bookmark.name == LastView) {
                if (const std::optional<ViewState> last = viewFromJson(QString::fromStdString(bookmark.stateJson), mView)) {
                    mView = validated(last->settings, &mFilterError);
                    mSelection = last->selection;
                    mCurrent = last->current;
                }
            } else {
                mBookmarks.push_back(bookmark);
            }
    }
    std::sort(mSelection.begin(), mSelection.end());
    forgetDerived(true, true);
    mDerived->neighbours.reset();
    using Type = ChangeEvent::Type;
    for (Type type : {Type::Opened, Type::Map, Type::Flat, Type::Colouring, Type::Filter, Type::Hidden, Type::SizeBy,
                      Type::Selection, Type::Current, Type::Labels, Type::SavedSelections, Type::Bookmarks})
        announce(type);
}

void ExplorerDocument::addWeightMaps(const ZooDocument *zoo, std::map<MapSource, WeightMap> maps)
{
    if (!mZoo || mZoo.get() != zoo)
        return;
    mZoo->putWeightMaps(std::move(maps));
    announce(ChangeEvent::Type::MapsAdded);
}

ViewSettings ExplorerDocument::validated(ViewSettings settings, QString *filterError) const
{
    if (filterError)
        filterError->clear();
    if (!mZoo)
        return settings;
    if (!mZoo->hasMap(settings.map)) // e.g. the SANE map of a zoo opened without an encoder
        settings.map = mZoo->hasMap(MapSource::Weights) ? MapSource::Weights : MapSource::SaneEmbeddings;
    const QStringList columns = colourableColumns();
    if (!columns.contains(settings.colourBy)) {
        settings.colourBy = columns.contains("test_acc") ? QStringLiteral("test_acc") : columns.value(0);
        settings.hidden.clear();
    }
    if (!settings.sizeBy.isEmpty() && !sizeColumns().contains(settings.sizeBy))
        settings.sizeBy.clear();
    settings.filter = settings.filter.trimmed();
    if (!settings.filter.isEmpty()) {
        try {
            filterMask(mZoo->zoo(), mZoo->map(settings.map).checkpoints, settings.filter.toStdString());
        } catch (const Error &error) { // e.g. a view naming a column this zoo lacks
            if (filterError)
                *filterError = QString::fromStdString(error.what());
            settings.filter.clear();
        }
    }
    return settings;
}

void ExplorerDocument::apply(const ViewState &next)
{
    if (!mZoo)
        return;
    const ViewState before = state();
    const QString errorBefore = mFilterError;
    mView = validated(next.settings, &mFilterError);
    mSelection = next.selection;
    std::sort(mSelection.begin(), mSelection.end());
    mSelection.erase(std::unique(mSelection.begin(), mSelection.end()), mSelection.end());
    mCurrent = next.current;

    const ViewSettings &was = before.settings;
    const bool map = was.map != mView.map;
    const bool colouring = map || was.colourBy != mView.colourBy || !(was.colourOptions == mView.colourOptions) ||
                           was.filter != mView.filter;
    const bool filter = map || was.filter != mView.filter || errorBefore != mFilterError;
    const bool selection = map || before.selection != mSelection;
    forgetDerived(colouring, filter);
    if (map || before.current != mCurrent)
        mDerived->neighbours.reset();
    using Type = ChangeEvent::Type;
    if (map)
        announce(Type::Map);
    else if (was.layout != mView.layout)
        announce(Type::Layout);
    if (was.flat != mView.flat)
        announce(Type::Flat);
    if (colouring)
        announce(Type::Colouring);
    if (filter)
        announce(Type::Filter);
    if (colouring || was.hidden != mView.hidden || was.isolated != mView.isolated || (mView.isolated && selection))
        announce(Type::Hidden);
    if (map || was.sizeBy != mView.sizeBy)
        announce(Type::SizeBy);
    if (selection)
        announce(Type::Selection);
    if (map || before.current != mCurrent)
        announce(Type::Current);
    if (map)
        announce(Type::Labels);
}

bool ExplorerDocument::edit(const ViewSettings &after, ViewEdit edit, const ViewState *selection)
{
    if (!mZoo)
        return false;
    ViewState next = selection ? *selection : state();
    next.settings = validated(after, nullptr);
    std::sort(next.selection.begin(), next.selection.end());
    const ViewState now = state();
    if (next.settings == now.settings && next.selection == now.selection && next.current == now.current)
        return true;
    mUndo->push(new ViewCommand(*this, edit, now, next));
    return true;
}

bool ExplorerDocument::setMapSource(MapSource source)
{
    if (!mZoo) { // remembered for the zoo that opens next
        mView.map = source;
        return true;
    }
    if (!mZoo->hasMap(source))
        return false;
    ViewSettings view = mView;
    view.map = source;
    return edit(view, ViewEdit::Map);
}

bool ExplorerDocument::setLayoutMethod(ProjectionMethod method)
{
    ViewSettings view = mView;
    view.layout = method;
    if (!mZoo) { // remembered for the zoo that opens next
        mView.layout = method;
        return true;
    }
    return edit(view, ViewEdit::Layout);
}

bool ExplorerDocument::colourBy(const QString &column)
{
    if (!mZoo || !colourableColumns().contains(column))
        return false;
    ViewSettings view = mView;
    if (view.colourBy != column)
        view.hidden.clear(); // the categories of another column
    view.colourBy = column;
    return edit(view, ViewEdit::Colour);
}

void ExplorerDocument::setColourOptions(const ColourOptions &options)
{
    ViewSettings view = mView;
    view.colourOptions = options;
    edit(view, ViewEdit::ColourOptions);
}

bool ExplorerDocument::setSizeBy(const QString &column)
{
    if (!mZoo || (!column.isEmpty() && !sizeColumns().contains(column)))
        return false;
    ViewSettings view = mView;
    view.sizeBy = column;
    return edit(view, ViewEdit::SizeBy);
}

bool ExplorerDocument::setFilter(const QString &expression)
{
    ViewSettings view = mView;
    view.filter = expression.trimmed();
    if (mZoo && !view.filter.isEmpty()) {
        try {
            filterMask(mZoo->zoo(), shownMap().checkpoints, view.filter.toStdString());
        } catch (const Error &error) {
            mFilterError = QString::fromStdString(error.what());
            announce(ChangeEvent::Type::Filter); // the previous filter stays
            return false;
        }
    }
    if (!mFilterError.isEmpty()) {
        mFilterError.clear();
        announce(ChangeEvent::Type::Filter);
    }
    return edit(view, ViewEdit::Filter);
}

void ExplorerDocument::setHiddenCategories(const QStringList &hidden)
{
    ViewSettings view = mView;
    view.hidden = hidden;
    edit(view, ViewEdit::Hidden);
}

void ExplorerDocument::setFlat(bool flat)
{
    ViewSettings view = mView;
    view.flat = flat;
    if (!mZoo) {
        mView.flat = flat;
        announce(ChangeEvent::Type::Flat);
        return;
    }
    edit(view, ViewEdit::Flat);
}

void ExplorerDocument::setIsolated(bool isolated)
{
    if (isolated && mSelection.empty())
        return;
    ViewSettings view = mView;
    view.isolated = isolated;
    if (!isolated)
        view.hidden.clear(); // "show all points"
    edit(view, ViewEdit::Isolate);
}

void ExplorerDocument::forgetDerived(bool colouring, bool matches)
{
    if (colouring || matches)
        mDerived->colouring.reset();
    if (matches)
        mDerived->matches.reset();
}

} // namespace wse
