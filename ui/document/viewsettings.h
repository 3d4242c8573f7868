#pragma once
// What the map shows besides the selection — the settings a bookmark stores and a step of the
// view's undo history restores — and the JSON a workspace keeps a view in (bookmarks, "last view").
#include "analysis/maprecord.h"
#include "analysis/weightmap.h"
#include "map/colouring.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace wse {

struct ViewSettings
{
    MapSource map = MapSource::Weights;
    ProjectionMethod layout = ProjectionMethod::Pca;
    QString colourBy;            // a column of the zoo (ZooDocument::colourableColumns)
    ColourOptions colourOptions; // scale and range for numeric columns
    QString sizeBy;              // a numeric column; empty: every point one size
    QString filter;              // analysis/filterexpression.h; empty: every point
    QStringList hidden;          // categories of the colouring column hidden in the legend
    bool flat = false;           // 2-D: the layout's first two axes seen from above
    bool isolated = false;       // only the selected points are shown
};

bool operator==(const ColourOptions &a, const ColourOptions &b);
bool operator==(const ViewSettings &a, const ViewSettings &b);
inline bool operator!=(const ViewSettings &a, const ViewSettings &b) { return !(a == b); }

// A whole view: the settings, the selected checkpoints and the current one (-1: none).
struct ViewState
{
    ViewSettings settings;
    std::vector<int64_t> selection;
    int64_t current = -1;
};

// The workspace's JSON of a view; without `selection` it holds the settings only.
QString viewToJson(const ViewSettings &settings, const std::vector<int64_t> *selection = nullptr, int64_t current = -1);
// Parts the JSON lacks keep `base`'s values (a missing selection: none). Null for a view whose map
// or layout this version does not know (a view from a newer version).
std::optional<ViewState> viewFromJson(const QString &json, const ViewSettings &base);

} // namespace wse
