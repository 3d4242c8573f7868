#pragma once
// What the explorer shows and the user edits, in one place: the open zoo (ZooDocument) and the
// view of it — map, layout, colouring (column, scale, range), size-by, filter, hidden legend
// categories, 2-D or 3-D, isolation — the selection (zoo checkpoints, the only copy), the current
// checkpoint, the user's labels, named selections and bookmarks.
//
// Every change is announced by one signal, changed(ChangeEvent); the map view, legend, controls,
// table, details, layers and status bar only react to it and read what they show from here. Every
// edit of the user is one command on the document's undo stack (document/explorercommands.h):
// edits of one kind in a row (typing a filter or a colour range, ticking legend categories) merge
// into one step, and a step that ends where it began disappears.
#include "analysis/weightmap.h"
#include "document/viewsettings.h"
#include "workspace/workspace.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class QUndoStack;

namespace wse {

class ZooDocument;

struct ChangeEvent
{
    enum class Type {
        Opened,          // another zoo (or none): everything below follows
        Map,             // other points (another map source)
        MapsAdded,       // the zoo gained maps (weight maps computed after it opened)
        Layout,          // the same points, other positions
        Colouring,       // column, scale, range, or the filter's grey
        SizeBy,
        Filter,          // the expression, its matches or its error
        Hidden,          // hidden categories or isolation: which points are drawn
        Flat,
        Selection,
        Current,         // the clicked checkpoint
        Labels,          // the user's checkpoint labels
        SavedSelections, // named selections
        Bookmarks,
    };
    Type type;
};

// Kinds of view edit: those marked in explorercommands.cpp merge with the step before.
enum class ViewEdit { Map, Layout, Colour, ColourOptions, SizeBy, Filter, Hidden, Flat, Isolate, Selection, Bookmark };

class ExplorerDocument : public QObject
{
    Q_OBJECT

public:
    explicit ExplorerDocument(QObject *parent = nullptr);
    ~ExplorerDocument() override;

    // Shows another zoo: keeps the view's choices that still apply, takes the workspace's named
    // selections, bookmarks and last view, and clears the undo history (its steps were of the old zoo).
    void open(std::shared_ptr<ZooDocument> zoo);
    const ZooDocument *zoo() const { return mZoo.get(); }
    std::shared_ptr<const ZooDocument> sharedZoo() const { return mZoo; }
    QUndoStack *undoStack() const { return mUndo; }
    // Weight maps `zoo` computed after it opened (ZooDocument::computePendingWeightMaps): they join
    // it when it is still the open zoo (no undo step: nothing the user did).
    void addWeightMaps(const ZooDocument *zoo, std::map<MapSource, WeightMap> maps);

    // The view. Each setter is one undo step; false (nothing changes) for what the zoo lacks or a
    // filter that does not parse (its message: filterError()).
    const ViewSettings &view() const { return mView; }
    bool setMapSource(MapSource source);
    bool setLayoutMethod(ProjectionMethod method);
    bool colourBy(const QString &column);
    void setColourOptions(const ColourOptions &options);
    bool setSizeBy(const QString &column); // empty: every point one size
    bool setFilter(const QString &expression);
    void setHiddenCategories(const QStringList &hidden);
    void setFlat(bool flat);
    void setIsolated(bool isolated); // hides every point outside the selection; false shows all
    // Any view (and, with `selection`, selection and current checkpoint) as one step named by `edit`.
    bool edit(const ViewSettings &after, ViewEdit edit, const ViewState *selection = nullptr);

    // What the view shows, derived from the settings (computed once per change).
    const WeightMap &shownMap() const;
    int pointCount() const;
    int64_t checkpointOf(int point) const;
    std::vector<int> pointsOf(const std::vector<int64_t> &checkpoints) const; // those on the shown map
    QStringList colourableColumns() const;
    QStringList sizeColumns() const; // numeric colourable columns
    const Colouring &colouring() const; // grey where the filter does not match
    const std::vector<bool> &filterMatches() const; // empty without a filter
    int matchingPoints() const;
    const QString &filterError() const { return mFilterError; }
    std::vector<bool> hiddenPoints() const; // empty: every point drawn
    std::vector<double> sizeValues() const;  // empty: uniform

    // The selection, in checkpoints of the zoo: it holds on every map.
    const std::vector<int64_t> &selection() const { return mSelection; }
    std::vector<int> selectedPoints() const;
    void select(std::vector<int64_t> checkpoints, const QString &what); // one undo step
    void selectPoints(const std::vector<int> &points, const QString &what);
    // The clicked checkpoint (-1: none), like a cursor: not an undo step.
    int64_t currentCheckpoint() const { return mCurrent; }
    int currentPoint() const; // on the shown map, or -1
    void setCurrentPoint(int point);
    // The current point's nearest points on the shown map (in the map's input space), nearest first.
    const std::vector<std::pair<int, double>> &currentNeighbours() const;

    // Labels: checkpoints[i] gets texts[i] (empty: no label), as one undo step.
    void setLabels(const std::vector<int64_t> &checkpoints, const std::vector<std::string> &texts, const QString &what);
    std::vector<std::string> labelsOf(const std::vector<int64_t> &checkpoints) const;
    QString labelColumn() const;

    // Named selections and bookmarks (without "last view"): adding and removing are undo steps.
    const std::vector<WorkspaceSelection> &savedSelections() const { return mSavedSelections; }
    bool saveSelection(const QString &name); // the current selection; false when empty or unnamed
    bool restoreSelection(const QString &name);
    bool removeSelection(const QString &name);
    const std::vector<WorkspaceBookmark> &bookmarks() const { return mBookmarks; }
    bool addBookmark(const QString &name); // the current view
    bool removeBookmark(const QString &name);
    bool showBookmark(const QString &name); // also the opened workspace's "last view"; an undo step

    // The view as a workspace keeps it, and back (without an undo step; stale parts are skipped).
    QString viewJson(bool withSelection = true) const;
    bool applyViewJson(const QString &json);

    // For the undo commands: apply without a step, announcing what changed.
    void apply(const ViewState &state);
    ViewState state() const { return {mView, mSelection, mCurrent}; }
    void applyLabels(const std::vector<int64_t> &checkpoints, const std::vector<std::string> &texts);
    void putSavedSelection(const std::string &name, const std::optional<WorkspaceSelection> &selection);
    void putBookmark(const std::string &name, const std::optional<WorkspaceBookmark> &bookmark);

Q_SIGNALS:
    void changed(const ChangeEvent &event);

private:
    // Drops what this zoo or map lacks (a filter naming a missing column: its message in `filterError`).
    ViewSettings validated(ViewSettings settings, QString *filterError) const;
    void forgetDerived(bool colouring, bool matches);
    void announce(ChangeEvent::Type type) { Q_EMIT changed(ChangeEvent{type}); }

    std::shared_ptr<ZooDocument> mZoo;
    QUndoStack *mUndo;
    ViewSettings mView;
    std::vector<int64_t> mSelection;
    int64_t mCurrent = -1;
    QString mFilterError;
    std::vector<WorkspaceSelection> mSavedSelections;
    std::vector<WorkspaceBookmark> mBookmarks;
    struct Derived // of the shown view, computed when first asked for after a change
    {
        std::optional<Colouring> colouring;
        std::optional<std::vector<bool>> matches;
        std::optional<std::vector<std::pair<int, double>>> neighbours;
    };
    std::unique_ptr<Derived> mDerived;
};

} // namespace wse
