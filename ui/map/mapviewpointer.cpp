// MapView's side that faces the user's pointer: which point is under it, where points appear on
// the widget, and the mouse events (clicks, hover cards, right clicks; Shift-drags select).
#include "map/mapview.h"

#include "map/mapviewscene.h"
#include "viewport/vtkopenglwidget.h"

#include <QMouseEvent>
#include <QToolTip>

#include <vtkPointPicker.h>
#include <vtkRenderer.h>

namespace wse {

int MapView::pointAt(const QPoint &position) const
{
    if (pointCount() == 0)
        return -1;
    const qreal ratio = d->widget->devicePixelRatioF();
    const int height = int(d->widget->height() * ratio);
    if (!d->picker->Pick(position.x() * ratio, height - 1 - position.y() * ratio, 0.0, d->widget->renderer()))
        return -1;
    const int picked = int(d->picker->GetPointId());
    return picked >= 0 && size_t(picked) < d->hidden.size() && d->hidden[size_t(picked)] ? -1 : picked;
}

std::vector<MapView::ProjectedPoint> MapView::project(const std::vector<float> &xyz) const
{
    vtkRenderer *renderer = d->widget->renderer();
    const qreal ratio = d->widget->devicePixelRatioF();
    const double height = d->widget->height() * ratio;
    std::vector<ProjectedPoint> projected;
    projected.reserve(xyz.size() / 3);
    for (size_t i = 0; i + 2 < xyz.size(); i += 3) {
        renderer->SetWorldPoint(xyz[i], xyz[i + 1], xyz[i + 2], 1.0);
        renderer->WorldToDisplay();
        double display[3];
        renderer->GetDisplayPoint(display);
        projected.push_back({QPointF(display[0] / ratio, (height - 1 - display[1]) / ratio), display[2]});
    }
    return projected;
}

QPoint MapView::widgetPositionOf(int index) const
{
    vtkRenderer *renderer = d->widget->renderer();
    renderer->SetWorldPoint(d->xyz[size_t(3 * index)], d->xyz[size_t(3 * index + 1)], d->xyz[size_t(3 * index + 2)], 1.0);
    renderer->WorldToDisplay();
    double display[3];
    renderer->GetDisplayPoint(display);
    const qreal ratio = d->widget->devicePixelRatioF();
    const int height = int(d->widget->height() * ratio);
    return QPoint(int(display[0] / ratio + 0.5), int((height - 1 - display[1]) / ratio + 0.5));
}

bool MapView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != d->widget)
        return QWidget::eventFilter(watched, event);
    if (dragSelection(event))
        return true; // not passed to VTK: Shift-drag would pan
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton) {
            mPressPosition = mouse->position().toPoint();
            mPressed = true;
        }
        if (mouse->button() == Qt::RightButton)
            mRightPressPosition = mouse->position().toPoint();
        break;
    }
    case QEvent::MouseButtonRelease: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        // A click (not a drag that rotated the view) selects.
        if (mouse->button() == Qt::LeftButton && mPressed &&
            (mouse->position().toPoint() - mPressPosition).manhattanLength() <= 4) {
            const int index = pointAt(mouse->position().toPoint());
            setSelectedPoint(index);
            Q_EMIT pointClicked(index);
        }
        mPressed = false;
        if (mouse->button() == Qt::RightButton && (mouse->position().toPoint() - mRightPressPosition).manhattanLength() <= 4)
            Q_EMIT contextMenuRequested(mouse->position().toPoint());
        break;
    }
    case QEvent::MouseMove: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->buttons() != Qt::NoButton)
            break;
        const int index = pointAt(mouse->position().toPoint());
        Q_EMIT pointHovered(index);
        if (index >= 0 && mHoverText)
            QToolTip::showText(mouse->globalPosition().toPoint(), mHoverText(index), d->widget);
        else
            QToolTip::hideText();
        break;
    }
    default:
        break;
    }
    return false; // VTK still gets every event (rotation, zoom, pan)
}

} // namespace wse
