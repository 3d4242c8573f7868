#include "map/selectionoverlay.h"

#include <QPainter>

namespace wse {

SelectionOverlay::SelectionOverlay(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    hide();
}

void SelectionOverlay::showOutline(const QPolygonF &outline)
{
    mOutline = outline;
    setVisible(outline.size() > 1);
    if (isVisible()) {
        setGeometry(parentWidget()->rect());
        raise();
    }
    update();
}

void SelectionOverlay::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(40, 40, 40), 1.2, Qt::DashLine));
    painter.setBrush(QColor(60, 120, 220, 40));
    painter.drawPolygon(mOutline);
}

} // namespace wse
