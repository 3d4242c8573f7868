// MapView's trajectories: each model's checkpoints joined in epoch order, in the points' colours.
// In a non-linear layout (t-SNE, UMAP) they are drawn faintly, or only for the selected models
// and the current point's, as the View menu says; a linear layout (PCA) draws them in full.
#include "map/mapview.h"

#include "map/mapviewscene.h"
#include "viewport/vtkopenglwidget.h"

#include <vtkCellArray.h>
#include <vtkProperty.h>

#include <algorithm>

namespace wse {

void MapView::setTrajectories(const std::vector<std::vector<int>> &lines)
{
    d->trajectories = lines;
    drawTrajectories();
}

void MapView::setTrajectoriesVisible(bool visible)
{
    d->linesActor->SetVisibility(visible);
    d->widget->requestRender();
}

bool MapView::trajectoriesVisible() const { return d->linesActor->GetVisibility(); }

void MapView::setNonLinearTrajectories(TrajectoryEmphasis emphasis)
{
    mNonLinearTrajectories = emphasis;
    drawTrajectories();
}

void MapView::setLayoutIsLinear(bool linear)
{
    mLinearLayout = linear;
    drawTrajectories();
}

MapView::TrajectoryEmphasis MapView::trajectoryEmphasis() const
{
    return mLinearLayout ? TrajectoryEmphasis::Full : mNonLinearTrajectories;
}

double MapView::trajectoryOpacity() const
{
    switch (trajectoryEmphasis()) {
    case TrajectoryEmphasis::Full: return 0.55;
    case TrajectoryEmphasis::Faint: return 0.12;
    case TrajectoryEmphasis::SelectedOnly: return 0.8;
    }
    return 0.55;
}

std::vector<std::vector<int>> MapView::drawnTrajectories() const
{
    const bool selectedOnly = trajectoryEmphasis() == TrajectoryEmphasis::SelectedOnly;
    auto chosen = [this](int point) {
        return point == mSelected || std::binary_search(mSelection.begin(), mSelection.end(), point);
    };
    std::vector<std::vector<int>> drawn;
    for (const std::vector<int> &line : d->trajectories) {
        if (selectedOnly && std::none_of(line.begin(), line.end(), chosen))
            continue;
        std::vector<int> shown;
        for (int point : line)
            if (!isHidden(point))
                shown.push_back(point);
        if (shown.size() > 1)
            drawn.push_back(std::move(shown));
    }
    return drawn;
}

void MapView::drawTrajectories()
{
    vtkNew<vtkCellArray> cells;
    for (const std::vector<int> &line : drawnTrajectories()) {
        const std::vector<vtkIdType> ids(line.begin(), line.end());
        cells->InsertNextCell(vtkIdType(ids.size()), ids.data());
    }
    d->lines->SetLines(cells);
    d->lines->Modified();
    d->linesActor->GetProperty()->SetOpacity(trajectoryOpacity());
    d->widget->requestRender();
}

} // namespace wse
