#include "panels/tabledock.h"

#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "panels/checkpointtable.h"
#include "selection/selectionactions.h"

#include <QDockWidget>

namespace wse {

CheckpointTable *addCheckpointTableDock(MainWindow &window)
{
    auto *table = new CheckpointTable;
    auto *dock = new QDockWidget(QObject::tr("Table"), &window);
    dock->setObjectName("tableDock");
    dock->setWidget(table);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    MapView *map = window.mapView();
    auto showRows = [&window, table, map] {
        const ZooDocument *document = window.document();
        table->showCheckpoints(document ? &document->zoo() : nullptr,
                               document ? document->map(window.mapSource()).checkpoints : std::vector<int64_t>{});
        table->setFilterMatches(window.filterMatches());
        table->setSelectedPoints(map->selection()); // kept across maps
    };
    QObject::connect(&window, &MainWindow::mapShown, table, showRows);
    QObject::connect(&window, &MainWindow::labelsChanged, table, showRows);
    QObject::connect(&window, &MainWindow::filterChanged, table, [&window, table] { table->setFilterMatches(window.filterMatches()); });
    QObject::connect(map, &MapView::selectionChanged, table, [map, table] { table->setSelectedPoints(map->selection()); });
    QObject::connect(&window, &MainWindow::currentPointChanged, table, &CheckpointTable::setCurrentPoint);
    QObject::connect(table, &CheckpointTable::pointsSelected, &window, [&window](const std::vector<int> &points) {
        window.selection()->select(points, QObject::tr("Select in the Table"));
    });
    QObject::connect(table, &CheckpointTable::pointActivated, &window, &MainWindow::selectPoint);
    return table;
}

} // namespace wse
