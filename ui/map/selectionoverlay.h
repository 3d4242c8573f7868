#pragma once
// The outline drawn while a box or lasso selection is dragged over the map (a transparent child
// above the viewport; mouse events pass through to the viewport's event filter).
#include <QPolygonF>
#include <QWidget>

namespace wse {

class SelectionOverlay : public QWidget
{
public:
    explicit SelectionOverlay(QWidget *parent);
    void showOutline(const QPolygonF &outline); // empty hides
    const QPolygonF &outline() const { return mOutline; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QPolygonF mOutline;
};

} // namespace wse
