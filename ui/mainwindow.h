#pragma once
// The explorer's window. It only assembles: the map in the centre (the start page until a zoo is
// open), the docks, the menus and the status bar, each of which shows or edits the explorer's
// document (document/explorerdocument.h) — the one model of what the user sees.
#include "document/explorerdocument.h"

#include <QMainWindow>

class QStackedWidget;

namespace wse {

class BookmarkActions;
class DetailsPanel;
class GenerateActions;
class GenerationController;
class LayoutController;
class MapActions;
class MapControls;
class MapView;
class MetricChart;
class SelectionActions;
class StartPage;
class StatusLine;
class UnsavedChanges;
class WorkspaceSession;
class ZooDocument;
class ZooOpener;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a zoo, workspace or embeddings file (document/zooopener.h); emits documentLoaded or
    // loadFailed. `sane`: an encoder or embeddings for the SANE map.
    void openZoo(const QString &path, const QString &sane = {}, const QString &zooOverride = {});
    // Opens the demo zoo (filemenu.h: demoZooPath), first training it as a job when it does not
    // exist yet (a few minutes; it opens when the job ends).
    void openDemo();
    // Saves the workspace (embeddings, every finished layout, the view, labels, selections,
    // bookmarks, generated networks). False with the message in `error` on failure.
    bool saveWorkspace(const QString &path, QString *error = nullptr);
    QString workspacePath() const;
    QString statusSummary() const; // counts, the map and its layout (a figure's title)
    // When off, nothing asks or reports in a dialog (scripted use, tests).
    void setInteractive(bool interactive);
    // False: a zoo too large for memory opens with its weight maps computed (slower), not on its
    // SANE map with the weight maps following in the background.
    void setDeferLargeWeightMaps(bool defer);
    void restoreLayout(); // the docks and geometry as the user left them

    ExplorerDocument *explorer() const { return mExplorer; }
    const ZooDocument *document() const { return mExplorer->zoo(); }

    // Shorthands for the document's view, for menus and scripts.
    MapSource mapSource() const { return mExplorer->view().map; }
    void setMapSource(MapSource source) { mExplorer->setMapSource(source); }
    ProjectionMethod layoutMethod() const { return mExplorer->view().layout; }
    void setLayoutMethod(ProjectionMethod method) { mExplorer->setLayoutMethod(method); }
    QString colouringColumn() const { return mExplorer->view().colourBy; }
    bool colourBy(const QString &column) { return mExplorer->colourBy(column); }
    QString filter() const { return mExplorer->view().filter; }
    bool setFilter(const QString &expression) { return mExplorer->setFilter(expression); }
    QString filterError() const { return mExplorer->filterError(); }
    int matchingPoints() const { return mExplorer->matchingPoints(); }
    std::vector<bool> filterMatches() const { return mExplorer->filterMatches(); }
    const std::vector<int64_t> &selectedCheckpoints() const { return mExplorer->selection(); }
    void selectPoint(int point) { mExplorer->setCurrentPoint(point); } // -1 clears
    bool showBookmark(const QString &name) { return mExplorer->showBookmark(name); }

    MapView *mapView() const { return mMapView; }
    MapControls *mapControls() const { return mControls; }
    LayoutController *layouts() const { return mLayouts; }
    GenerationController *generation() const { return mGeneration; }
    GenerateActions *generate() const { return mGenerate; }
    MapActions *mapActions() const { return mMapActions; }
    SelectionActions *selection() const { return mSelection; }
    BookmarkActions *bookmarks() const { return mBookmarks; }
    UnsavedChanges *unsavedChanges() const { return mUnsaved; }
    StartPage *startPage() const { return mStartPage; }
    DetailsPanel *detailsPanel() const { return mDetails; }
    MetricChart *trainingCurve() const { return mCurve; }

Q_SIGNALS:
    void documentLoaded();
    void loadFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addCentre();
    void buildMenus();
    void watchUnsavedChanges();
    void followDocument(); // the window's title and centre; the parts that keep per-zoo state
    // mainwindowparts.cpp
    void addSideDocks();
    void addMessagesDock();
    void addBackgroundWork();

    ExplorerDocument *mExplorer = nullptr;
    MapView *mMapView = nullptr;
    QStackedWidget *mCentre = nullptr; // the start page until a zoo is open, then the map
    StartPage *mStartPage = nullptr;
    SelectionActions *mSelection = nullptr;
    BookmarkActions *mBookmarks = nullptr;
    DetailsPanel *mDetails = nullptr;
    MetricChart *mCurve = nullptr;
    MapControls *mControls = nullptr;
    LayoutController *mLayouts = nullptr;
    WorkspaceSession *mSession = nullptr;
    UnsavedChanges *mUnsaved = nullptr;
    GenerationController *mGeneration = nullptr;
    GenerateActions *mGenerate = nullptr;
    MapActions *mMapActions = nullptr;
    StatusLine *mStatus = nullptr;
    ZooOpener *mOpener = nullptr;
    bool mInteractive = true;
};

} // namespace wse
