// How MapView draws its points: spheres or flat squares (by renderer and count), each point's
// size (uniform or by a column, in device pixels), and the names of point groups (labels).
#include "map/mapview.h"

#include "map/mapviewscene.h"
#include "map/pointsizes.h"
#include "viewport/vtkopenglwidget.h"

#include <vtkProperty.h>
#include <vtkTextProperty.h>

#include <array>

namespace wse {

void MapView::setPointGroups(std::vector<PointGroup> groups)
{
    mGroups = std::move(groups);
    placeGroupNames();
    d->widget->requestRender();
}

void MapView::placeGroupNames()
{
    std::vector<MapLabels::Placed> placed;
    for (const PointGroup &group : mGroups) {
        std::array<double, 3> sum{0, 0, 0};
        int count = 0;
        for (int point : group.points)
            if (point >= 0 && point < pointCount() && !isHidden(point)) {
                for (size_t k = 0; k < 3; ++k)
                    sum[k] += d->xyz[size_t(3 * point) + k];
                ++count;
            }
        if (count > 0)
            placed.push_back({group.name.toStdString(), {sum[0] / count, sum[1] / count, sum[2] / count}});
    }
    d->labels->show(placed);
}

void MapView::setPointSizeValues(const std::vector<double> &values)
{
    d->sizeValues = values;
    updatePointStyle();
}

const std::vector<double> &MapView::pointSizeValues() const { return d->sizeValues; }
const std::vector<float> &MapView::pointDiameters() const { return d->diameters; }
bool MapView::pointsAsSpheres() const { return d->spheres; }
bool MapView::isShowingSubset() const { return d->detail->isReduced(); }
bool MapView::isShowingFrontmostPerPixel() const { return d->detail->isAggregated(); }

void MapView::setFrontmostPerPixel(bool allowed)
{
    d->frontmostPerPixel = allowed;
    updatePointStyle();
}

void MapView::updatePointStyle()
{
    // llvmpipe (Xvfb, remote desktops) takes ~190 ms to shade 100,000 spheres of 9 pixels and
    // ~80 ms for flat squares of 4: many points there are drawn flat and small so that turning the
    // map stays under 100 ms a frame. A GPU draws spheres at any count.
    const bool crowded = d->widget->isSoftwareRenderer() && visiblePointCount() > kFlatPointsAbove;
    d->spheres = !crowded;
    d->detail->setReducible(d->widget->isSoftwareRenderer());
    // Points of one size cover the same pixels from the same centre: only then is the frontmost
    // point per pixel the same picture.
    d->detail->setAggregable(crowded && d->sizeValues.empty() && d->frontmostPerPixel);
    d->actor->GetProperty()->SetRenderPointsAsSpheres(d->spheres);
    d->diameters = diametersFor(d->sizeValues, crowded ? 4.0f : 9.0f, size_t(pointCount()));
    // GL sizes are in device pixels: a high-DPI screen (ratio 2) needs twice as many.
    const float ratio = float(d->widget->devicePixelRatioF());
    std::vector<float> devicePixels = d->diameters;
    for (float &diameter : devicePixels)
        diameter *= ratio;
    setPointDiameters(d->points, devicePixels);
    setUniformPointSize(d->highlightActor, 15.0f * ratio);
    setUniformPointSize(d->neighboursActor, 13.0f * ratio);
    setUniformPointSize(d->overlayActor, 13.0f * ratio);
    d->labels->setScale(ratio);
    for (vtkTextProperty *text : {d->scalarBar->GetLabelTextProperty(), d->scalarBar->GetTitleTextProperty()})
        text->SetFontSize(int(14 * ratio)); // the colour bar's text, in device pixels too
    d->widget->requestRender();
}

} // namespace wse
