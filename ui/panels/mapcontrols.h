#pragma once
// The panel beside the map: what is mapped, its layout and that layout's quality, the colouring
// column, the filter and the legend. They show the explorer's document and turn what the user
// picks or types into the document's edits (mapcontrolsbinding.cpp).
#include "analysis/projection.h"
#include "map/colouring.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;

namespace wse {

struct ChangeEvent;
class ExplorerDocument;
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
    QComboBox *sizeBox = nullptr;   // "sizeBy": "uniform" or a numeric column (ExplorerDocument::sizeColumns)

    // The scale and range chosen for numeric columns (a range only when both ends parse, min < max).
    ColourOptions colourOptions() const;
    // Shows these options (the range only when fixed); emits nothing.
    void setColourOptions(const ColourOptions &options);

    // Shows `document` and edits it. `mayComputeLayout` asks before a slow layout (false: the
    // choice goes back).
    void setDocument(ExplorerDocument *document, std::function<bool(ProjectionMethod)> mayComputeLayout);
    // The weight maps of a large zoo are computed after it opened: their entries wait, greyed,
    // with how far along they are (percent; -1: not known yet).
    void showWeightMapsProgress(int percent);

Q_SIGNALS:
    void colourOptionsChanged();

public:
    QLineEdit *filterEdit = nullptr; // "filter"
    QLabel *filterMessage = nullptr; // "filterMessage": matches or the parse error
    LegendWidget *legend = nullptr;  // "legend"

private:
    void react(const ChangeEvent &event);
    void showColumns(); // of another zoo: maps, colourable and numeric columns
    void showMapAvailability(int percent = -1);
    void showFilter();

    ExplorerDocument *mDocument = nullptr;
};

} // namespace wse
