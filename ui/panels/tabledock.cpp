#include "panels/tabledock.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"
#include "panels/checkpointtable.h"

#include <QDockWidget>
#include <QMainWindow>

namespace wse {

CheckpointTable *addCheckpointTableDock(QMainWindow &window, ExplorerDocument &explorer)
{
    auto *table = new CheckpointTable;
    auto *dock = new QDockWidget(QObject::tr("Table"), &window);
    dock->setObjectName("tableDock");
    dock->setWidget(table);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    ExplorerDocument *document = &explorer;
    QObject::connect(document, &ExplorerDocument::changed, table, [document, table](const ChangeEvent &event) {
        using Type = ChangeEvent::Type;
        switch (event.type) {
        case Type::Map:
        case Type::Labels: // the rows (and their label column)
            table->showCheckpoints(document->zoo() ? &document->zoo()->zoo() : nullptr,
                                   document->zoo() ? document->shownMap().checkpoints : std::vector<int64_t>{});
            table->setFilterMatches(document->filterMatches());
            table->setSelectedPoints(document->selectedPoints());
            break;
        case Type::Filter: table->setFilterMatches(document->filterMatches()); break;
        case Type::Selection: table->setSelectedPoints(document->selectedPoints()); break;
        case Type::Current: table->setCurrentPoint(document->currentPoint()); break;
        default: break;
        }
    });
    QObject::connect(table, &CheckpointTable::pointsSelected, document,
                     [document](const std::vector<int> &points) { document->selectPoints(points, QObject::tr("Select in the Table")); });
    QObject::connect(table, &CheckpointTable::pointActivated, document, &ExplorerDocument::setCurrentPoint);
    return table;
}

} // namespace wse
