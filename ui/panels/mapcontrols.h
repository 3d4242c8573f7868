#pragma once
// The panel beside the map: what is mapped, its layout and that layout's quality, the colouring
// column, the filter and the legend. The main window wires the widgets to the document.
#include "map/colouring.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace wse {

class LegendWidget;

class MapControls : public QWidget
{
    Q_OBJECT

public:
    explicit MapControls(QWidget *parent = nullptr);

    QComboBox *mapBox = nullptr;    // "mapSource": weights, weight statistics, SANE embeddings
    QComboBox *layoutBox = nullptr; // "layoutMethod": PCA, t-SNE, UMAP
    QLabel *quality = nullptr;      // "mapQuality": trustworthiness and continuity
    QComboBox *colourBox = nullptr; // "colourBy"
    QComboBox *scaleBox = nullptr;  // "colourScale": viridis or diverging (numbers only)
    QLineEdit *rangeMinimum = nullptr, *rangeMaximum = nullptr; // "rangeMinimum"/"rangeMaximum": empty = the data's
    QComboBox *sizeBox = nullptr;   // "sizeBy": "uniform" or a numeric column (map/sizeby.h)

    // The scale and range chosen for numeric columns (a range only when both ends parse, min < max).
    ColourOptions colourOptions() const;
    // Shows these options (the range only when fixed) and emits colourOptionsChanged once.
    void setColourOptions(const ColourOptions &options);

Q_SIGNALS:
    void colourOptionsChanged();

public:
    QLineEdit *filterEdit = nullptr; // "filter"
    QLabel *filterMessage = nullptr; // "filterMessage": matches or the parse error
    LegendWidget *legend = nullptr;  // "legend"
};

} // namespace wse
