// MapView's selection of many points: Shift-drag of a box or lasso, the selection it makes in
// each mode, and applying a selection (the rest of the view is in mapview.cpp).
#include "map/mapview.h"

#include "map/selectionoverlay.h"
#include "viewport/vtkopenglwidget.h"

#include <QMouseEvent>

#include <algorithm>
#include <iterator>

namespace wse {

void MapView::setSelection(std::vector<int> points)
{
    points.erase(std::remove_if(points.begin(), points.end(), [this](int p) { return p < 0 || p >= pointCount(); }),
                 points.end());
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    if (points == mSelection)
        return;
    mSelection = std::move(points);
    applyColours();
    if (trajectoryEmphasis() == TrajectoryEmphasis::SelectedOnly)
        drawTrajectories();
    viewport()->requestRender();
    Q_EMIT selectionChanged();
}

std::vector<int> MapView::selectionInOutline(const QPolygonF &outline, SelectionMode mode) const
{
    std::vector<int> inside;
    const std::vector<ProjectedPoint> projected = projectedPoints();
    for (size_t i = 0; i < projected.size(); ++i)
        if (!isHidden(int(i)) && outline.containsPoint(projected[i].position, Qt::OddEvenFill))
            inside.push_back(int(i));
    std::vector<int> result;
    switch (mode) {
    case SelectionMode::Replace:
        return inside;
    case SelectionMode::Add:
        std::set_union(mSelection.begin(), mSelection.end(), inside.begin(), inside.end(), std::back_inserter(result));
        break;
    case SelectionMode::Remove:
        std::set_difference(mSelection.begin(), mSelection.end(), inside.begin(), inside.end(), std::back_inserter(result));
        break;
    case SelectionMode::Intersect:
        std::set_intersection(mSelection.begin(), mSelection.end(), inside.begin(), inside.end(), std::back_inserter(result));
        break;
    }
    return result;
}

bool MapView::dragSelection(QEvent *event)
{
    const auto type = event->type();
    if (type != QEvent::MouseButtonPress && type != QEvent::MouseMove && type != QEvent::MouseButtonRelease)
        return false;
    auto *mouse = static_cast<QMouseEvent *>(event);
    const QPointF position = mouse->position();
    if (type == QEvent::MouseButtonPress) {
        if (mouse->button() != Qt::LeftButton || !(mouse->modifiers() & Qt::ShiftModifier))
            return false;
        mSelecting = true;
        mOutline = QPolygonF{position};
        return true;
    }
    if (!mSelecting)
        return false;
    if (type == QEvent::MouseMove || mouse->button() == Qt::LeftButton) { // the release point ends the outline
        if (mTool == SelectionTool::Lasso)
            mOutline << position;
        else
            mOutline = QPolygonF(QRectF(mOutline.front(), position).normalized());
        mOverlay->showOutline(mOutline);
    }
    if (type == QEvent::MouseMove || mouse->button() != Qt::LeftButton)
        return true;
    mSelecting = false;
    mOverlay->showOutline({});
    const Qt::KeyboardModifiers modifiers = mouse->modifiers();
    const bool add = modifiers & Qt::ControlModifier, remove = modifiers & Qt::AltModifier;
    const SelectionMode mode = add && remove ? SelectionMode::Intersect
                               : add         ? SelectionMode::Add
                               : remove      ? SelectionMode::Remove
                                             : SelectionMode::Replace;
    if (mOutline.boundingRect().width() + mOutline.boundingRect().height() <= 4) {
        // A Shift-click: the point under the cursor joins (or with Alt leaves) the selection.
        const int point = pointAt(position.toPoint());
        std::vector<int> selection = mSelection;
        if (point >= 0 && !remove)
            selection.push_back(point);
        else if (point >= 0)
            selection.erase(std::remove(selection.begin(), selection.end(), point), selection.end());
        std::sort(selection.begin(), selection.end());
        selection.erase(std::unique(selection.begin(), selection.end()), selection.end());
        Q_EMIT selectionDragged(selection);
        return true;
    }
    Q_EMIT selectionDragged(selectionInOutline(mOutline, mode));
    return true;
}

} // namespace wse
