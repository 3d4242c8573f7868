#include "mainwindow.h"

#include "document/filedrop.h"
#include "document/unsavedchanges.h"
#include "document/workspacesession.h"
#include "document/zoodocument.h"
#include "document/zooopener.h"
#include "filemenu.h"
#include "generate/generatemenu.h"
#include "generate/generationcontroller.h"
#include "help/helpmenu.h"
#include "icons.h"
#include "jobs/jobcentre.h"
#include "maintoolbar.h"
#include "map/layoutcontroller.h"
#include "map/mapmenu.h"
#include "map/mapview.h"
#include "panels/layerpanel.h"
#include "panels/mapcontrols.h"
#include "panels/statusline.h"
#include "panels/tabledock.h"
#include "preferences/setting.h"
#include "selection/bookmarkactions.h"
#include "selection/labelactions.h"
#include "selection/selectionactions.h"
#include "startpage.h"
#include "viewmenu.h"
#include "wizards/trainmenu.h"

#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>

namespace wse {

namespace {

// Docks, their sizes and the window, for the next start.
const Setting<QByteArray> savedGeometry{QStringLiteral("window/geometry")};
const Setting<QByteArray> savedDockLayout{QStringLiteral("window/state")};

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), mExplorer(new ExplorerDocument(this))
{
    setWindowTitle(tr("Weight Space Explorer"));
    setWindowIcon(applicationIcon());
    addCentre();
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea); // the table and jobs sit under the map only
    addSideDocks();
    mStatus = new StatusLine(statusBar(), *mExplorer);
    addBackgroundWork();
    addCheckpointTableDock(*this, *mExplorer);
    addMessagesDock();
    addLayersDock(*this, *mExplorer);
    acceptFileDrops(*this);
    buildMenus();
    followDocument();
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::addCentre()
{
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
}

void MainWindow::buildMenus()
{
    addFileMenu(*this);
    mSelection = new SelectionActions(this, *mExplorer, mMapView);
    mMapActions = new MapActions(this, *mExplorer, *mLayouts, [this] { return jobCentre(*this); });
    mGenerate = new GenerateActions(this, *mExplorer, *mGeneration, mMapView, [this] { return workspacePath(); },
                                    [this] { openSampleWizard(*this); });
    addTrainMenu(*this);
    QMenu *view = addViewMenu(*this);
    mBookmarks = new BookmarkActions(this, *mExplorer, view);
    new LabelActions(this, *mExplorer);
    addHelpMenu(*this);
    view->addAction(addMainToolBar(*this)->toggleViewAction());
    watchUnsavedChanges();
    mOpener = new ZooOpener(this, *mExplorer, *mUnsaved, *mStatus);
    connect(mOpener, &ZooOpener::opened, this, &MainWindow::documentLoaded);
    connect(mOpener, &ZooOpener::weightMapsProgressed, mControls, &MapControls::showWeightMapsProgress);
    connect(mOpener, &ZooOpener::failed, this, [this](const QString &message) {
        mStartPage->refresh();
        Q_EMIT loadFailed(message);
    });
}

// What the user changes is unsaved work until a workspace holds it: every edit of the document
// (through its undo stack's clean state) and generated networks.
void MainWindow::watchUnsavedChanges()
{
    mUnsaved = new UnsavedChanges(this, mExplorer->undoStack(),
                                  [this] { return saveWorkspaceInteractively(*this, workspacePath()); });
    mUnsaved->setInteractive(mInteractive);
    connect(mUnsaved, &UnsavedChanges::modifiedChanged, this, &QWidget::setWindowModified);
    connect(mUnsaved, &UnsavedChanges::discarded, mSession, &WorkspaceSession::discardRecovery);
    mSession->setHasChanges([this] { return mUnsaved->isModified(); });
    connect(mGeneration, &GenerationController::generated, mUnsaved, &UnsavedChanges::markModified);
}

// Another zoo: the map replaces the start page, and the parts that keep results per zoo (layouts,
// generated networks, the workspace file) start over with it.
void MainWindow::followDocument()
{
    connect(mExplorer, &ExplorerDocument::changed, this, [this](const ChangeEvent &event) {
        if (event.type == ChangeEvent::Type::MapsAdded) // a large zoo's weight maps, computed after it opened
            for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics})
                for (const Projection &saved : mExplorer->zoo()->savedLayouts(source))
                    mLayouts->preload(source, saved);
        if (event.type != ChangeEvent::Type::Opened || !mExplorer->zoo())
            return;
        const std::shared_ptr<const ZooDocument> zoo = mExplorer->sharedZoo();
        mCentre->setCurrentWidget(mMapView);
        mLayouts->setDocument(zoo);
        mSession->setDocument(zoo);
        mGeneration->setDocument(zoo);
        for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics, MapSource::SaneEmbeddings})
            for (const Projection &saved : zoo->savedLayouts(source))
                mLayouts->preload(source, saved);
        setWindowTitle(tr("%1[*] — Weight Space Explorer").arg(QFileInfo(zoo->path()).fileName()));
    });
}

void MainWindow::openZoo(const QString &path, const QString &sane, const QString &zooOverride)
{
    mOpener->open(path, sane, zooOverride);
}

void MainWindow::openDemo()
{
    const QString demo = demoZooPath();
    if (QFileInfo::exists(demo)) {
        openZoo(demo);
        return;
    }
    QDir().mkpath(QFileInfo(demo).absolutePath());
    jobCentre(*this)->startZooTraining(ZooTrainOptions::demo(), demo); // opens when finished
}

void MainWindow::setInteractive(bool interactive)
{
    mInteractive = interactive;
    mUnsaved->setInteractive(interactive);
    mOpener->setInteractive(interactive);
}

void MainWindow::setDeferLargeWeightMaps(bool defer)
{
    mOpener->setDeferLargeWeightMaps(defer);
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

QString MainWindow::workspacePath() const
{
    return mSession->path();
}

QString MainWindow::statusSummary() const
{
    return mStatus->summary();
}

} // namespace wse
