// MainWindow's parts: the docks beside the map, the status bar, the background work (layouts,
// generated networks) and the wiring of the map controls. The window only assembles them.
#include "mainwindow.h"

#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "map/hovercard.h"
#include "map/layoutcontroller.h"
#include "map/mapcolumns.h"
#include "map/mapview.h"
#include "panels/detailspanel.h"
#include "panels/legendwidget.h"
#include "panels/mapcontrols.h"
#include "panels/messagesdock.h"
#include "panels/metricchart.h"
#include "document/workspacesession.h"
#include "viewstate.h"

#include "torchutil/device.h"

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace wse {

// Colour (map, layout, colouring, filter, legend), details and training curve, on the right.
void MainWindow::addSideDocks()
{
    auto *colourPanel = mControls = new MapControls(this);
    mMapBox = colourPanel->mapBox;
    mLayoutBox = colourPanel->layoutBox;
    mQualityLabel = colourPanel->quality;
    mColourBox = colourPanel->colourBox;
    mFilterEdit = colourPanel->filterEdit;
    mFilterMessage = colourPanel->filterMessage;
    mLegend = colourPanel->legend;
    auto *colourDock = new QDockWidget(tr("Colour"), this);
    colourDock->setObjectName("colourDock");
    colourDock->setWidget(colourPanel);
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

}

void MainWindow::addStatusBar()
{
    mStatusCounts = new QLabel(tr("No zoo open"), this);
    statusBar()->addWidget(mStatusCounts, 1);
    mBusy = new QProgressBar(this);
    mBusy->setRange(0, 0);
    mBusy->setMaximumWidth(260);
    mBusy->setTextVisible(true);
    mBusy->hide();
    statusBar()->addPermanentWidget(mBusy);
    useAllCores(); // as every torch job does: the label tells the threads they get
    auto *device = new QLabel(tr("torch: %1").arg(QString::fromStdString(describeDevice(resolveDevice("auto")))), this);
    device->setToolTip(tr("Where embedding, sampling and training run when their device is \"auto\""));
    statusBar()->addPermanentWidget(device);
    mCancelLayout = new QPushButton(tr("Cancel"), this);
    mCancelLayout->setObjectName("cancelLayout");
    mCancelLayout->hide();
    statusBar()->addPermanentWidget(mCancelLayout);
}

// Layouts computed in the background and generated networks: their progress, cancel and results.
void MainWindow::addBackgroundWork()
{
    mLayouts = new LayoutController(mMapView, this);
    mSession = new WorkspaceSession(mLayouts, [this] { return viewStateOf(*this); }, this);
    mGeneration = new GenerationController(mMapView, mLayouts, this);
    mSession->setGeneration(mGeneration);
    connect(mCancelLayout, &QPushButton::clicked, mGeneration, &GenerationController::cancel);
    connect(mGeneration, &GenerationController::runningChanged, this, &MainWindow::showBackgroundWork);
    connect(mGeneration, &GenerationController::progressed, this, &MainWindow::showBackgroundProgress);
    connect(mGeneration, &GenerationController::generated, this, [this](const QString &report) {
        statusBar()->showMessage(tr("Generated networks are the dark points (SANE map)"), 10000);
        if (mInteractive)
            QMessageBox::information(this, tr("Generated Networks"), report);
    });
    connect(mGeneration, &GenerationController::failed, this, [this](const QString &message) {
        statusBar()->showMessage(message, 10000);
        if (mInteractive)
            QMessageBox::warning(this, tr("Generate"), message);
    });
    connect(mCancelLayout, &QPushButton::clicked, mLayouts, &LayoutController::cancel);
    connect(mLayouts, &LayoutController::qualityChanged, mQualityLabel, &QLabel::setText);
    connect(mLayouts, &LayoutController::runningChanged, this, &MainWindow::showBackgroundWork);
    connect(mLayouts, &LayoutController::progressed, this, &MainWindow::showBackgroundProgress);
    connect(mLayouts, &LayoutController::layoutReady, this, [this] {
        updateStatus();
        if (mGeneration)
            mGeneration->place(mMapSource, mLayoutMethod);
    });

}

// The map controls drive the window: colouring, map, layout, filter, hidden categories, clicks.
void MainWindow::connectControls()
{
    connect(mControls, &MapControls::colourOptionsChanged, this, [this] { colourBy(colouringColumn()); });
    connect(mColourBox, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty())
            colourBy(name);
    });
    connect(mMapBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { setMapSource(MapSource(mMapBox->itemData(index).toInt())); });
    connect(mLayoutBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { setLayoutMethod(ProjectionMethod(mLayoutBox->itemData(index).toInt())); });
    connect(mFilterEdit, &QLineEdit::returnPressed, this, [this] { setFilter(mFilterEdit->text()); });
    connect(mFilterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            setFilter({}); // the clear button
    });
    connect(mMapView, &MapView::pointClicked, this, &MainWindow::selectPoint);
    connect(mLegend, &LegendWidget::hiddenCategoriesChanged, this, [this](const QStringList &hidden) {
        // Points of hidden categories (of the colouring column) leave the map until shown again.
        if (!mDocument)
            return;
        const Column column =
            columnOnMap(mDocument->zoo(), mDocument->map(mMapSource).checkpoints, colouringColumn().toStdString());
        std::vector<bool> mask(size_t(column.size()), false);
        for (size_t i = 0; i < mask.size(); ++i)
            mask[i] = column.isText() && hidden.contains(QString::fromStdString(column.text(int64_t(i))));
        mMapView->setHiddenPoints(mask);
    });
    mMapView->setHoverText([this](int point) {
        return mDocument ? hoverCard(mDocument->zoo(), mDocument->checkpointOf(mMapSource, point)) : QString();
    });
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
