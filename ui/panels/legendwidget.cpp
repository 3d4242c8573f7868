#include "panels/legendwidget.h"

#include <QPainter>
#include <QPixmap>

namespace wse {

LegendWidget::LegendWidget(QWidget *parent)
    : QListWidget(parent)
{
    setObjectName("legend");
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setIconSize(QSize(14, 14));
    setWordWrap(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

static QIcon swatch(const Rgb &colour)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QColor(60, 60, 60));
    painter.setBrush(QColor(colour.r, colour.g, colour.b));
    painter.drawEllipse(QRectF(1, 1, 12, 12));
    return QIcon(pixmap);
}

void LegendWidget::showColouring(const Colouring &colouring)
{
    clear();
    if (!colouring.categorical) {
        addItem(tr("%1 from %2 to %3").arg(QString::fromStdString(colouring.title))
                    .arg(colouring.minimum, 0, 'g', 4)
                    .arg(colouring.maximum, 0, 'g', 4));
        addItem(tr("viridis colour map; see the colour bar in the map"));
        return;
    }
    for (const LegendEntry &entry : colouring.legend)
        addItem(new QListWidgetItem(swatch(entry.colour),
                                    tr("%1  (%2)").arg(QString::fromStdString(entry.label)).arg(entry.count)));
}

} // namespace wse
