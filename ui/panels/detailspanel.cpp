#include "panels/detailspanel.h"

#include "zoo/zoo.h"

#include <QHeaderView>
#include <QPainter>

namespace wse {

DetailsPanel::DetailsPanel(QWidget *parent)
    : QTableWidget(0, 2, parent)
{
    setObjectName("detailsPanel");
    setHorizontalHeaderLabels({tr("Property"), tr("Value")});
    horizontalHeader()->setStretchLastSection(true);
    verticalHeader()->hide();
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setAlternatingRowColors(true);
}

void DetailsPanel::clearDetails() { setRowCount(0); }

void DetailsPanel::showCheckpoint(const Zoo &zoo, int64_t checkpoint)
{
    clearDetails();
    const auto model = int64_t(zoo.checkpoints.get(zoocol::Model).number(checkpoint));
    auto addRow = [this](const std::string &name, const std::string &text) {
        const int row = rowCount();
        insertRow(row);
        setItem(row, 0, new QTableWidgetItem(QString::fromStdString(name)));
        setItem(row, 1, new QTableWidgetItem(QString::fromStdString(text)));
    };
    addRow(zoocol::ModelId, zoo.models.get(zoocol::ModelId).text(model));
    addRow(zoocol::Epoch, zoo.checkpoints.get(zoocol::Epoch).displayValue(checkpoint));
    for (const Column &column : zoo.checkpoints.columns())
        if (column.name() != zoocol::Model && column.name() != zoocol::WeightRow && column.name() != zoocol::Epoch)
            addRow(column.name(), column.displayValue(checkpoint));
    for (const Column &column : zoo.models.columns())
        if (column.name() != zoocol::ModelId)
            addRow(column.name(), column.displayValue(model));
    resizeColumnToContents(0);
}

void DetailsPanel::showNeighbours(const Zoo &zoo, const std::vector<std::pair<int64_t, double>> &checkpointsAndDistances,
                                  const QString &space)
{
    for (size_t i = 0; i < checkpointsAndDistances.size(); ++i) {
        const auto &[checkpoint, distance] = checkpointsAndDistances[i];
        const int row = rowCount();
        insertRow(row);
        auto *name = new QTableWidgetItem(tr("nearest %1").arg(i + 1));
        name->setToolTip(tr("Nearest checkpoints in the map's input space (%1), Euclidean distance").arg(space));
        setItem(row, 0, name);
        setItem(row, 1, new QTableWidgetItem(QStringLiteral("%1:%2  (%3)")
                                                 .arg(QString::fromStdString(zoo.checkpointValue(checkpoint, zoocol::ModelId)),
                                                      QString::fromStdString(zoo.checkpointValue(checkpoint, zoocol::Epoch)))
                                                 .arg(distance, 0, 'g', 4)));
    }
    resizeColumnToContents(0);
}

void DetailsPanel::paintEvent(QPaintEvent *event)
{
    QTableWidget::paintEvent(event);
    if (rowCount() > 0)
        return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                     tr("Click a point on the map (or a row of the table) to see its checkpoint here: the model's "
                        "hyper-parameters, its metrics and its nearest neighbours."));
}

QString DetailsPanel::value(const QString &property) const
{
    for (int row = 0; row < rowCount(); ++row)
        if (item(row, 0)->text() == property)
            return item(row, 1)->text();
    return {};
}

} // namespace wse
