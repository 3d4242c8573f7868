#include "mainwindow.h"

#include "document/filedrop.h"
#include "document/unsavedchanges.h"
#include "document/viewhistory.h"
#include "jobs/jobcentre.h"
#include "document/workspacesession.h"
#include "document/zoodocument.h"
#include "filemenu.h"
#include "selection/bookmarkactions.h"
#include "selection/labelactions.h"
#include "selection/selectionactions.h"
#include "startpage.h"
#include "viewmenu.h"
#include "viewstate.h"
#include "generate/generationcontroller.h"
#include "generate/generatemenu.h"
#include "wizards/trainmenu.h"
#include "map/layoutcontroller.h"
#include "map/hovercard.h"
#include "map/mapcolumns.h"
#include "map/mapmenu.h"
#include "map/mapview.h"
#include "map/sizeby.h"
#include "map/vectorfigure.h"
#include "panels/detailspanel.h"
#include "panels/metricchart.h"
#include "panels/legendwidget.h"
#include "panels/messagesdock.h"
#include "panels/layerpanel.h"
#include "panels/mapcontrols.h"
#include "panels/tabledock.h"
#include "viewport/vtkopenglwidget.h"

#include "common/error.h"
#include "jobs/progress.h"
#include "torchutil/device.h"
#include "zoo/zoo.h"
#include "formats/fileformat.h"
#include "errordialog.h"
#include "preferences/filedialogs.h"
#include "preferences/setting.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QDir>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace wse {

namespace {

// Result of a background load: the document or the error message.
struct LoadResult
{
    std::shared_ptr<ZooDocument> document;
    QString error;
    QString missingZoo; // a workspace whose zoo moved: where it was
};

// Docks, their sizes and the window, for the next start.
const Setting<QByteArray> savedGeometry{QStringLiteral("window/geometry")};
const Setting<QByteArray> savedDockLayout{QStringLiteral("window/state")};

LoadResult loadInBackground(const QString &path, const QString &sane, const QString &zooOverride)
{
    try {
        return {ZooDocument::load(path, sane, zooOverride), {}, {}};
    } catch (const MissingZoo &missing) {
        return {nullptr, QString::fromStdString(missing.what()), missing.expected};
    } catch (const std::exception &error) {
        return {nullptr, QString::fromStdString(error.what()), {}};
    }
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Weight Space Explorer"));
    mMapView = new MapView(this);
    mStartPage = new StartPage(*this);
    mCentre = new QStackedWidget(this);
    auto *startScroll = new QScrollArea; // the page's height never sets the window's minimum
    startScroll->setWidgetResizable(true);
    startScroll->setFrameShape(QFrame::NoFrame);
    startScroll->setWidget(mStartPage);
    mCentre->addWidget(startScroll);
    mCentre->addWidget(mMapView);
    setCentralWidget(mCentre);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea); // the table and jobs sit under the map only
    addSideDocks();
    addStatusBar();
    addBackgroundWork();
    addCheckpointTableDock(*this);
    addMessagesDock();
    installSizeBy(*this, mControls->sizeBox);
    addLayersDock(*this);
    acceptFileDrops(*this);
    buildMenus();
    connectControls();
    mViewHistory = new ViewHistory(*this, mSelection->undoStack());
    mViewHistory->watchUserEdits(); // after connectControls: each step holds the view after the edit
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    addFileMenu(*this);
    mSelection = new SelectionActions(*this, mMapView);
    connect(mMapView, &MapView::selectionChanged, this, [this] {
        mSelectedCheckpoints.clear();
        if (!mDocument)
            return;
        for (int point : mMapView->selection())
            mSelectedCheckpoints.push_back(mDocument->checkpointOf(mMapSource, point));
        updateStatus();
    });
    addMapMenu(*this);
    addGenerateMenu(*this);
    addTrainMenu(*this);

    QMenu *view = addViewMenu(*this);
    mBookmarks = new BookmarkActions(*this, mSelection->undoStack(), view);
    new LabelActions(*this, mSelection->undoStack());
    mSession->setSavedViews(mSelection, mBookmarks);
    watchUnsavedChanges();
}

// What the user changes counts as unsaved work until a workspace holds it: edits on the undo stack,
// and the user's own choices of colouring, map, layout, filter and hidden categories, and generated
// networks (the `activated` signals: not the changes a load makes).
void MainWindow::watchUnsavedChanges()
{
    mUnsaved = new UnsavedChanges(this, mSelection->undoStack(),
                                  [this] { return saveWorkspaceInteractively(*this, workspacePath()); });
    mUnsaved->setInteractive(mInteractive);
    connect(mUnsaved, &UnsavedChanges::modifiedChanged, this, &QWidget::setWindowModified);
    connect(mUnsaved, &UnsavedChanges::discarded, mSession, &WorkspaceSession::discardRecovery);
    mSession->setHasChanges([this] { return mUnsaved->isModified(); });
    const auto changed = [this] { mUnsaved->markModified(); };
    for (QComboBox *box : {mColourBox, mMapBox, mLayoutBox})
        connect(box, qOverload<int>(&QComboBox::activated), this, changed);
    connect(mFilterEdit, &QLineEdit::returnPressed, this, changed);
    connect(mControls, &MapControls::colourOptionsChanged, this, changed);
    connect(mLegend, &LegendWidget::hiddenCategoriesChanged, this, changed);
    connect(mGeneration, &GenerationController::generated, this, changed);
}

void MainWindow::setInteractive(bool interactive)
{
    mInteractive = interactive;
    if (mUnsaved)
        mUnsaved->setInteractive(interactive);
}

void MainWindow::restoreLayout()
{
    applySavedTheme(*this);
    restoreGeometry(savedGeometry.get());
    restoreState(savedDockLayout.get());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    auto *jobs = findChild<JobCentre *>("jobCentre");
    if ((mInteractive && jobs && !jobs->mayStopRunningJobs()) || !mUnsaved->mayDiscard(tr("closing"))) {
        event->ignore();
        return;
    }
    if (!mUnsaved->isModified())
        mSession->discardRecovery(); // a clean end leaves nothing to offer at the next start
    if (mInteractive) { // docks, their sizes and the window, for the next start
        savedGeometry.set(saveGeometry());
        savedDockLayout.set(saveState());
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::openZoo(const QString &path, const QString &sane, const QString &zooOverride)
{
    if (mDocument && !mUnsaved->mayDiscard(tr("opening %1").arg(QFileInfo(path).fileName())))
        return;
    mUnsaved->markSaved(); // saved or discarded: the old session's changes are no longer asked about
    const QString file = mInteractive ? WorkspaceSession::offerRecoveryCopy(this, path) : path;
    const bool restored = file != path;
    mStatusCounts->setText(tr("Opening %1 ...").arg(QFileInfo(path).fileName()));
    mBusy->setRange(0, 0);
    mBusy->show();
    auto *watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher, path, sane, restored] {
        const LoadResult result = watcher->result();
        watcher->deleteLater();
        mBusy->hide();
        if (!result.document && !result.missingZoo.isEmpty() && mInteractive) {
            // The workspace's zoo moved: ask for it (its content hash is checked).
            QMessageBox::information(this, tr("Locate the Zoo"),
                                     tr("The zoo of this workspace is no longer at\n%1\nPlease locate it.").arg(result.missingZoo));
            const QString zoo = chooseFileToOpen(this, tr("Locate %1").arg(QFileInfo(result.missingZoo).fileName()),
                                                 {FileKind::Zoo});
            if (!zoo.isEmpty()) {
                openZoo(path, sane, zoo);
                return;
            }
        }
        if (!result.document) {
            mStatusCounts->setText(tr("Could not open %1").arg(path));
            mStartPage->refresh();
            if (mInteractive)
                showError(this, tr("Opening %1").arg(QFileInfo(path).fileName()), result.error);
            Q_EMIT loadFailed(result.error);
            return;
        }
        setDocument(result.document);
        if (restored)
            mUnsaved->markModified(); // what was restored is in no file the user chose
        else
            mUnsaved->markSaved();
        rememberRecentFile(path);
        Q_EMIT documentLoaded();
    });
    watcher->setFuture(QtConcurrent::run(loadInBackground, file, sane, zooOverride));
}

void MainWindow::setDocument(std::shared_ptr<ZooDocument> document)
{
    mDocument = std::move(document);
    mSelectedCheckpoints.clear();
    const Workspace *opened = mDocument->openedWorkspace();
    mSelection->setSavedSelections(opened ? opened->selections : std::vector<WorkspaceSelection>{});
    mBookmarks->setBookmarks(opened ? opened->bookmarks : std::vector<WorkspaceBookmark>{});
    mCentre->setCurrentWidget(mMapView);
    mLayouts->setDocument(mDocument);
    mSession->setDocument(mDocument);
    mGeneration->setDocument(mDocument);
    for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics, MapSource::SaneEmbeddings})
        for (const Projection &saved : mDocument->savedLayouts(source))
            mLayouts->preload(source, saved);
    setWindowTitle(tr("%1[*] — Weight Space Explorer").arg(QFileInfo(mDocument->path()).fileName()));
    mDetails->clearDetails();
    {
        const QSignalBlocker blocker(mMapBox);
        const int sane = mMapBox->findData(int(MapSource::SaneEmbeddings));
        if (mDocument->hasMap(MapSource::SaneEmbeddings) && sane < 0)
            mMapBox->addItem(QString::fromStdString(mapSourceDescription(MapSource::SaneEmbeddings)),
                             int(MapSource::SaneEmbeddings));
        else if (!mDocument->hasMap(MapSource::SaneEmbeddings) && sane >= 0)
            mMapBox->removeItem(sane);
        if (!mDocument->hasMap(mMapSource))
            mMapSource = MapSource::Weights;
        mMapBox->setCurrentIndex(mMapBox->findData(int(mMapSource)));
    }
    showMap();

    const QString previous = mColourBox->currentText();
    const QSignalBlocker blocker(mColourBox);
    mColourBox->clear();
    mColourBox->addItems(mDocument->colourableColumns());
    const QString initial = mDocument->colourableColumns().contains(previous) ? previous : QStringLiteral("test_acc");
    colourBy(mDocument->colourableColumns().contains(initial) ? initial : mColourBox->itemText(0));
    if (const Workspace *workspace = mDocument->openedWorkspace())
        for (const WorkspaceBookmark &bookmark : workspace->bookmarks)
            if (bookmark.name == "last view")
                applyViewState(*this, QString::fromStdString(bookmark.stateJson));
    mViewHistory->rebase(); // the view as opened: the first edit is the first step
}

void MainWindow::setMapSource(MapSource source)
{
    if (mDocument && !mDocument->hasMap(source))
        return; // e.g. the SANE map of a zoo opened without an encoder
    mMapSource = source;
    const QSignalBlocker blocker(mMapBox);
    mMapBox->setCurrentIndex(mMapBox->findData(int(source)));
    if (mDocument) {
        showMap();
        colourBy(colouringColumn());
    }
}

void MainWindow::setLayoutMethod(ProjectionMethod method)
{
    if (mDocument && mInteractive && method != mLayoutMethod && !mLayouts->has(mMapSource, method) &&
        !confirmLayoutCost(this, mLayouts->settings(method), int64_t(mDocument->map(mMapSource).checkpoints.size()))) {
        const QSignalBlocker blocker(mLayoutBox);
        mLayoutBox->setCurrentIndex(mLayoutBox->findData(int(mLayoutMethod)));
        return;
    }
    mLayoutMethod = method;
    const QSignalBlocker blocker(mLayoutBox);
    mLayoutBox->setCurrentIndex(mLayoutBox->findData(int(method)));
    if (!mDocument)
        return;
    // Same points, new positions: colours, selection and trajectories stay.
    if (method == ProjectionMethod::Pca)
        mMapView->movePoints(mDocument->map(mMapSource).pca.coordinates, true);
    updateStatus();
    mLayouts->show(mMapSource, method);
    mGeneration->place(mMapSource, method);
}

LayoutController *MainWindow::layouts() const
{
    return mLayouts;
}

void MainWindow::showMap()
{
    const WeightMap &map = mDocument->map(mMapSource);
    const int selected = mMapView->selectedPoint();
    const std::vector<int64_t> kept = mSelectedCheckpoints; // other points: the same checkpoints stay selected
    mMapView->setPoints(map.pca.coordinates);
    selectCheckpoints(kept);
    mMapView->setTrajectories(map.trajectories(mDocument->zoo()));
    mMapView->setSelectedPoint(selected);
    updateStatus();
    mLayouts->show(mMapSource, mLayoutMethod);
    mGeneration->place(mMapSource, mLayoutMethod);
    Q_EMIT mapShown();
}

void MainWindow::updateStatus()
{
    const WeightMap &map = mDocument->map(mMapSource);
    QString source = QString::fromStdString(mapSourceDescription(mMapSource));
    if (source.size() > 1 && source[1].isLower()) // "Weights" -> "weights", "SANE ..." stays
        source[0] = source[0].toLower();
    QString description = mLayoutBox->currentText() + tr(" of ") + source;
    if (mLayoutMethod == ProjectionMethod::Pca) {
        const std::vector<double> &ratio = map.pca.explainedRatio;
        QString variance;
        for (size_t i = 0; i < ratio.size(); ++i)
            variance += QStringLiteral("%1PC%2 %3%").arg(i ? " · " : "").arg(i + 1).arg(ratio[i] * 100.0, 0, 'f', 1);
        description += tr(" (%1 of variance)").arg(variance);
    }
    QString selected;
    if (!mMapView->selection().empty())
        selected = tr(" · %1 selected").arg(mMapView->selection().size());
    mStatusCounts->setText(tr("%1 models · %2 checkpoints%3 · map: %4")
                               .arg(mDocument->zoo().modelCount())
                               .arg(mDocument->zoo().checkpointCount())
                               .arg(selected, description));
}

void MainWindow::selectPoint(int point)
{
    if (mMapView->selectedPoint() != point)
        mMapView->setSelectedPoint(point);
    Q_EMIT currentPointChanged(point);
    mMapView->setNeighbourPoints({});
    if (!mDocument || point < 0) {
        mDetails->clearDetails();
        mCurve->clearChart();
        return;
    }
    mDetails->showCheckpoint(mDocument->zoo(), mDocument->checkpointOf(mMapSource, point));
    mCurve->showModelOf(mDocument->zoo(), mDocument->checkpointOf(mMapSource, point));
    const WeightMap &map = mDocument->map(mMapSource);
    std::vector<std::pair<int64_t, double>> neighbours;
    std::vector<int> neighbourPoints;
    for (const auto &[other, distance] : map.nearestPoints(mDocument->zoo(), point, 5)) {
        neighbours.emplace_back(map.checkpoints[size_t(other)], distance);
        neighbourPoints.push_back(other);
    }
    mMapView->setNeighbourPoints(neighbourPoints);
    mDetails->showNeighbours(mDocument->zoo(), neighbours, QString::fromStdString(mapSourceDescription(mMapSource)).toLower());
}

std::vector<int64_t> MainWindow::selectedCheckpoints() const
{
    return mSelectedCheckpoints;
}

void MainWindow::selectCheckpoints(const std::vector<int64_t> &checkpoints)
{
    if (!mDocument)
        return;
    std::vector<bool> wanted(size_t(mDocument->zoo().checkpointCount()), false);
    for (int64_t c : checkpoints)
        if (c >= 0 && size_t(c) < wanted.size())
            wanted[size_t(c)] = true;
    const std::vector<int64_t> &onMap = mDocument->map(mMapSource).checkpoints;
    std::vector<int> points;
    for (size_t i = 0; i < onMap.size(); ++i)
        if (wanted[size_t(onMap[i])])
            points.push_back(int(i));
    mMapView->setSelection(points);
}

void MainWindow::showBackgroundWork(bool running)
{
    mBusy->setRange(0, 100);
    mBusy->setValue(0);
    mBusy->setVisible(running);
    mCancelLayout->setVisible(running);
}

void MainWindow::showBackgroundProgress(int percent, const QString &stage)
{
    mBusy->setValue(percent);
    mBusy->setFormat(QStringLiteral("%1 %p%").arg(stage.section(QLatin1Char(':'), 0, 0)));
    mBusy->setToolTip(stage);
}

GenerationController *MainWindow::generation() const
{
    return mGeneration;
}

bool MainWindow::saveWorkspace(const QString &path, QString *error)
{
    try {
        mSession->save(path);
        mUnsaved->markSaved();
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
        return true;
    } catch (const std::exception &failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
}

bool MainWindow::showBookmark(const QString &name)
{
    if (!mDocument)
        return false;
    std::vector<WorkspaceBookmark> bookmarks = mBookmarks->bookmarks();
    if (const Workspace *workspace = mDocument->openedWorkspace())
        bookmarks.insert(bookmarks.end(), workspace->bookmarks.begin(), workspace->bookmarks.end());
    for (const WorkspaceBookmark &bookmark : bookmarks)
        if (bookmark.name == name.toStdString()) {
            applyViewState(*this, QString::fromStdString(bookmark.stateJson));
            mViewHistory->record(ViewHistory::Edit::Bookmark); // going to a bookmark can be undone
            return true;
        }
    return false;
}

QString MainWindow::statusSummary() const { return mStatusCounts->text(); }

QString MainWindow::workspacePath() const
{
    return mSession->path();
}


} // namespace wse
