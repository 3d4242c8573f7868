#pragma once
// The legend of a categorical colouring: swatch, value and count per category.
#include "map/colouring.h"

#include <QListWidget>

namespace wse {

class LegendWidget : public QListWidget
{
    Q_OBJECT

public:
    explicit LegendWidget(QWidget *parent = nullptr);
    void showColouring(const Colouring &colouring);
};

} // namespace wse
