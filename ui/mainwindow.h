#pragma once
// Assembles the explorer: the map in the centre, colouring and legend, details of the selection.
#include "analysis/projection.h"
#include "analysis/weightmap.h"
#include "sane/sampler.h"

#include <QMainWindow>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace wse {

class DetailsPanel;
class LayoutController;
class WorkspaceSession;
class GenerationController;
class LegendWidget;
class MapControls;
class MetricChart;
class MapView;
class BookmarkActions;
class SelectionActions;
class StartPage;
class UnsavedChanges;
class ViewHistory;
class ZooDocument;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads a zoo off the GUI thread; emits documentLoaded or loadFailed. `sane`: an encoder
    // (.pt, embeds the zoo) or embeddings (.h5) for the SANE map.
    // A workspace (.h5) opens its zoo, SANE embeddings, saved layouts and last view; when its zoo
    // moved, an interactive window asks for it (`zooOverride`: where it is now).
    void openZoo(const QString &path, const QString &sane = {}, const QString &zooOverride = {});
    // Saves the workspace (embeddings, every finished layout, the view). Returns false with the
    // message in `error` on failure. The window autosaves a recovery copy beside it.
    bool saveWorkspace(const QString &path, QString *error = nullptr);
    QString workspacePath() const;
    // The status bar's summary: counts, the map and its layout (a figure's title).
    QString statusSummary() const;
    // Applies a bookmarked view (or the workspace's "last view"); false when there is none of that name.
    bool showBookmark(const QString &name);
    QString filter() const { return mFilter; }

    GenerationController *generation() const;
    // When set, load errors are not shown in a dialog (scripted use): only loadFailed is emitted.
    void setInteractive(bool interactive);

    // Colours the map by a column; returns false (and changes nothing) for an unknown column.
    bool colourBy(const QString &column);
    QString colouringColumn() const;

    // Shows the map of the given source (weights, weight statistics, SANE embeddings when loaded).
    void setMapSource(MapSource source);
    MapSource mapSource() const { return mMapSource; }

    // Shows the map as PCA, t-SNE or UMAP (computed in the background, animated, cancellable);
    // the quality of the shown layout appears under the choice.
    void setLayoutMethod(ProjectionMethod method);
    ProjectionMethod layoutMethod() const { return mLayoutMethod; }
    LayoutController *layouts() const;
    MapControls *mapControls() const { return mControls; }

    // Points whose checkpoint does not match the filter expression (core/analysis/filterexpression.h)
    // are drawn in light grey. An empty expression matches everything. Returns false and shows the
    // parse error (with the column at fault) for an invalid one, keeping the previous filter.
    bool setFilter(const QString &expression);
    QString filterError() const;
    int matchingPoints() const; // points of the current map that pass the filter

    void selectPoint(int point); // -1 clears (the current point, whose details are shown)
    // The checkpoints selected on the map (box, lasso, Edit menu), in map order.
    std::vector<int64_t> selectedCheckpoints() const;
    // Selects these checkpoints on the shown map (those it has); not an undo step by itself.
    void selectCheckpoints(const std::vector<int64_t> &checkpoints);
    SelectionActions *selection() const { return mSelection; }
    UnsavedChanges *unsavedChanges() const { return mUnsaved; }
    BookmarkActions *bookmarks() const { return mBookmarks; }
    StartPage *startPage() const { return mStartPage; }
    const ZooDocument *document() const { return mDocument.get(); }
    ZooDocument *editableDocument() const { return mDocument.get(); } // for undo commands (labels)
    MapView *mapView() const { return mMapView; }
    DetailsPanel *detailsPanel() const { return mDetails; }
    MetricChart *trainingCurve() const { return mCurve; }

    // The docks and window geometry as the user left them (saved when an interactive window closes).
    void restoreLayout();

    // Filter answers for the shown map's points; empty when no filter is set.
    std::vector<bool> filterMatches() const;

Q_SIGNALS:
    void documentLoaded();
    void loadFailed(const QString &message);
    void mapShown();          // other points (another map, zoo or layout input)
    void filterChanged();
    void labelsChanged(); // the user's checkpoint labels (selection/labelactions.h)
    void currentPointChanged(int point); // the clicked point (-1: none)

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void watchUnsavedChanges();
    void addMessagesDock();
    // mainwindowparts.cpp
    void addSideDocks();
    void addStatusBar();
    void addBackgroundWork();
    void connectControls();
    void setDocument(std::shared_ptr<ZooDocument> document);
    void showMap();
    void updateStatus();
    // The status bar's progress bar and Cancel button, shared by layouts and sampling.
    void showBackgroundWork(bool running);
    void showBackgroundProgress(int percent, const QString &stage);

    std::shared_ptr<ZooDocument> mDocument;
    MapView *mMapView = nullptr;
    QStackedWidget *mCentre = nullptr; // the start page until a zoo is open, then the map
    StartPage *mStartPage = nullptr;
    SelectionActions *mSelection = nullptr;
    BookmarkActions *mBookmarks = nullptr;
    ViewHistory *mViewHistory = nullptr;
    std::vector<int64_t> mSelectedCheckpoints; // the selection, kept when the map changes
    DetailsPanel *mDetails = nullptr;
    MetricChart *mCurve = nullptr;
    LegendWidget *mLegend = nullptr;
    MapControls *mControls = nullptr;
    QComboBox *mColourBox = nullptr;
    QLineEdit *mFilterEdit = nullptr;
    QLabel *mFilterMessage = nullptr;
    QString mFilter;
    QComboBox *mMapBox = nullptr;
    MapSource mMapSource = MapSource::Weights;
    QComboBox *mLayoutBox = nullptr;
    QLabel *mQualityLabel = nullptr;
    QPushButton *mCancelLayout = nullptr;
    LayoutController *mLayouts = nullptr;
    WorkspaceSession *mSession = nullptr;
    UnsavedChanges *mUnsaved = nullptr;
    GenerationController *mGeneration = nullptr;
    ProjectionMethod mLayoutMethod = ProjectionMethod::Pca;
    QLabel *mStatusCounts = nullptr;
    QProgressBar *mBusy = nullptr;
    bool mInteractive = true;
};

} // namespace wse
