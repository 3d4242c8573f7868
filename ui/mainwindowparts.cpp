// MainWindow's parts: the docks beside the map and the background work (layouts, generated
// networks) with the presenter that draws the document on the map.
#include "mainwindow.h"

#include "document/workspacesession.h"
#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "generate/generationreport.h"
#include "map/layoutcontroller.h"
#include "map/mappresenter.h"
#include "map/mapview.h"
#include "panels/currentcheckpoint.h"
#include "panels/detailspanel.h"
#include "panels/mapcontrols.h"
#include "panels/messagesdock.h"
#include "panels/metricchart.h"
#include "panels/statusline.h"

#include <QDockWidget>
#include <QLabel>
#include <QMessageBox>
#include <QScrollArea>
#include <QStatusBar>

namespace wse {

// Colour (map, layout, colouring, filter, legend), details and training curve, on the right.
void MainWindow::addSideDocks()
{
    mControls = new MapControls(this);
    mControls->setDocument(mExplorer, [this](ProjectionMethod method) {
        // Asked before a slow layout only when the user chose it (scripts just wait).
        return !mInteractive || mLayouts->has(mapSource(), method) ||
               confirmLayoutCost(this, mLayouts->settings(method), mExplorer->pointCount());
    });
    auto *colourDock = new QDockWidget(tr("Colour"), this);
    colourDock->setObjectName("colourDock");
    // Scrolled rather than squeezed: the controls never set the window's minimum height, so a
    // small screen (or a 900x600 screenshot) keeps the toolbar, the map and the table.
    auto *controlsScroll = new QScrollArea;
    controlsScroll->setWidgetResizable(true);
    controlsScroll->setFrameShape(QFrame::NoFrame);
    controlsScroll->setWidget(mControls);
    colourDock->setWidget(controlsScroll);
    addDockWidget(Qt::RightDockWidgetArea, colourDock);

    mDetails = new DetailsPanel(this);
    auto *detailsDock = new QDockWidget(tr("Details"), this);
    detailsDock->setObjectName("detailsDock");
    detailsDock->setWidget(mDetails);
    addDockWidget(Qt::RightDockWidgetArea, detailsDock);

    mCurve = new MetricChart(this);
    mCurve->setObjectName("trainingCurve");
    auto *curveDock = new QDockWidget(tr("Training Curve"), this);
    curveDock->setObjectName("curveDock");
    curveDock->setWidget(mCurve);
    addDockWidget(Qt::RightDockWidgetArea, curveDock);
    tabifyDockWidget(detailsDock, curveDock); // a tab beside the details: small windows keep their size
    detailsDock->raise();
    showCurrentCheckpoint(*mExplorer, mDetails, mCurve);
}

// Layouts computed in the background and generated networks: their progress, cancel and results.
void MainWindow::addBackgroundWork()
{
    mLayouts = new LayoutController(mMapView, this);
    mSession = new WorkspaceSession(mLayouts, [this] { return mExplorer->viewJson(); }, this);
    mGeneration = new GenerationController(mMapView, mLayouts, this);
    mSession->setGeneration(mGeneration);
    mSession->setSavedViews(mExplorer);
    new MapPresenter(*mExplorer, mMapView, mLayouts, mGeneration, this);
    connect(mStatus, &StatusLine::cancelRequested, mGeneration, &GenerationController::cancel);
    connect(mStatus, &StatusLine::cancelRequested, mLayouts, &LayoutController::cancel);
    connect(mGeneration, &GenerationController::runningChanged, mStatus, &StatusLine::showBackgroundWork);
    connect(mGeneration, &GenerationController::progressed, mStatus, &StatusLine::showBackgroundProgress);
    connect(mLayouts, &LayoutController::runningChanged, mStatus, &StatusLine::showBackgroundWork);
    connect(mLayouts, &LayoutController::progressed, mStatus, &StatusLine::showBackgroundProgress);
    connect(mGeneration, &GenerationController::generated, this, [this](const QString &report) {
        statusBar()->showMessage(tr("Generated networks are the dark squares (SANE map)"), 10000);
        if (mInteractive) {
            auto *dialog = new GenerationReport(report, *mGeneration, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
        }
    });
    connect(mGeneration, &GenerationController::failed, this, [this](const QString &message) {
        statusBar()->showMessage(message, 10000);
        if (mInteractive)
            QMessageBox::warning(this, tr("Generate"), message);
    });
    connect(mLayouts, &LayoutController::qualityChanged, mControls->quality, &QLabel::setText);
    connect(mLayouts, &LayoutController::layoutReady, mStatus, &StatusLine::showSummary);
}

// Beside the table, behind it until a warning brings it forward.
void MainWindow::addMessagesDock()
{
    auto *messages = new MessagesDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, messages);
    if (auto *table = findChild<QDockWidget *>("tableDock"))
        tabifyDockWidget(messages, table); // the table stays on top
}

} // namespace wse
