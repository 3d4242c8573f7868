#pragma once
// The legend of a categorical colouring: swatch, value and count per category. Unticking a
// category hides its points; double-clicking one isolates it (again: shows all).
#include "map/colouring.h"

#include <QListWidget>

#include <functional>

namespace wse {

class LegendWidget : public QListWidget
{
    Q_OBJECT

public:
    explicit LegendWidget(QWidget *parent = nullptr);
    void showColouring(const Colouring &colouring); // every category shown
    QStringList hiddenCategories() const;
    void isolate(const QString &category);
    void setHiddenCategories(const QStringList &hidden);
    void showAll();

Q_SIGNALS:
    void hiddenCategoriesChanged(const QStringList &hidden);

private:
    void setChecked(const std::function<bool(const QString &)> &shown);
    void fitHeightToRows();
};

} // namespace wse
