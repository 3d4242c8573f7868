#include "map/mapview.h"

#include <algorithm>
#include <cmath>

#include "map/mapviewscene.h"
#include "map/pointsizes.h"
#include "map/selectionoverlay.h"
#include "viewport/vtkopenglwidget.h"

#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCaptionActor2D.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkTextProperty.h>
#include <vtkCellArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkLookupTable.h>
#include <vtkOpenGLPolyDataMapper.h>
#include <vtkPointData.h>
#include <vtkPointPicker.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

namespace wse {

// A layer of markers over the map's points (the current point, its neighbours, generated
// networks): spheres as wide as its uniform point size, not pickable, hidden until used.
static void addMarkers(vtkRenderer *renderer, vtkPolyData *data, vtkPolyDataMapper *mapper, vtkActor *actor)
{
    mapper->SetInputData(data);
    actor->SetMapper(mapper);
    actor->GetProperty()->SetRenderPointsAsSpheres(true);
    useUniformPointSize(actor);
    actor->PickableOff();
    actor->VisibilityOff();
    renderer->AddActor(actor);
}

// ResetCamera fits the cloud's bounding sphere, which leaves a flat, elongated or clustered cloud
// small in the middle of the view. Zooms on from there until the points (up to 20,000 of them,
// evenly spread over the list) reach 90% of the view's shorter way round.
static void fitCameraToPoints(vtkRenderer *renderer, const std::vector<float> &xyz)
{
    renderer->ResetCamera();
    const size_t count = xyz.size() / 3;
    const size_t stride = std::max<size_t>(1, count / 20000);
    double reach = 0;
    for (size_t i = 0; i < count; i += stride) {
        renderer->SetWorldPoint(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], 1.0);
        renderer->WorldToView();
        const double *view = renderer->GetViewPoint();
        reach = std::max({reach, std::abs(view[0]), std::abs(view[1])});
    }
    if (reach > 1e-6 && reach < 0.9)
        renderer->GetActiveCamera()->Zoom(0.9 / reach);
    renderer->ResetCameraClippingRange();
}

static vtkSmartPointer<vtkCellArray> vertexCells(vtkIdType count)
{
    vtkNew<vtkCellArray> cells;
    cells->AllocateExact(count, count);
    for (vtkIdType i = 0; i < count; ++i)
        cells->InsertNextCell(1, &i);
    return cells;
}

static vtkSmartPointer<vtkPoints> pointsOf(const std::vector<float> &xyz)
{
    const vtkIdType count = vtkIdType(xyz.size() / 3);
    vtkNew<vtkPoints> points;
    points->SetDataTypeToFloat();
    points->SetNumberOfPoints(count);
    for (vtkIdType i = 0; i < count; ++i)
        points->SetPoint(i, xyz[size_t(3 * i)], xyz[size_t(3 * i + 1)], xyz[size_t(3 * i + 2)]);
    return points;
}

MapView::MapView(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Scene>())
{
    d->widget = new VtkOpenGLWidget(this);
    d->widget->setObjectName("mapViewport");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->widget);
    d->widget->installEventFilter(this);
    mOverlay = new SelectionOverlay(this);

    vtkRenderer *renderer = d->widget->renderer();
    renderer->SetBackground(1.0, 1.0, 1.0);
    // Zoomed deep into a 3D map the camera is inside its bounds, where VTK puts the near plane at
    // this fraction of the far one: its default (1/1000) cut away everything closer than a
    // thousandth of the map's size. Views from outside the map are not affected.
    renderer->SetNearClippingPlaneTolerance(1e-6);
    d->detail = std::make_unique<InteractiveDetail>(renderer, d->points);
    d->labels = std::make_unique<MapLabels>(renderer);

    d->mapper->SetInputData(d->points);
    d->mapper->SetScalarModeToUsePointData();
    d->mapper->SetColorModeToDirectScalars();
    d->actor->SetMapper(d->mapper);
    d->actor->GetProperty()->SetRenderPointsAsSpheres(true);
    usePerPointSizes(d->actor, vtkOpenGLPolyDataMapper::SafeDownCast(d->mapper));
    renderer->AddActor(d->actor);

    d->linesMapper->SetInputData(d->lines);
    d->linesMapper->SetScalarModeToUsePointData();
    d->linesMapper->SetColorModeToDirectScalars();
    d->linesActor->SetMapper(d->linesMapper);
    d->linesActor->GetProperty()->SetLineWidth(1.5f);
    d->linesActor->GetProperty()->SetOpacity(0.55);
    d->linesActor->GetProperty()->LightingOff();
    d->linesActor->PickableOff();
    renderer->AddActor(d->linesActor);

    addMarkers(renderer, d->highlight, d->highlightMapper, d->highlightActor);
    d->highlightMapper->ScalarVisibilityOff();
    d->highlightActor->GetProperty()->SetColor(0.85, 0.1, 0.35);
    d->highlightActor->GetProperty()->SetOpacity(0.85);
    addMarkers(renderer, d->neighbours, d->neighboursMapper, d->neighboursActor);
    d->neighboursMapper->ScalarVisibilityOff();
    d->neighboursActor->GetProperty()->SetColor(0.95, 0.55, 0.0);
    d->neighboursActor->GetProperty()->SetOpacity(0.8);
    addMarkers(renderer, d->overlay, d->overlayMapper, d->overlayActor);
    d->overlayMapper->SetScalarModeToUsePointData();
    d->overlayMapper->SetColorModeToDirectScalars();
    // Squares: generated networks stand apart from the round checkpoints by shape, not only colour.
    d->overlayActor->GetProperty()->SetRenderPointsAsSpheres(false);
    d->overlayActor->GetProperty()->LightingOff();

    for (vtkPolyDataMapper *mapper : {d->mapper.GetPointer(), d->linesMapper.GetPointer(), d->highlightMapper.GetPointer(),
                                      d->neighboursMapper.GetPointer(), d->overlayMapper.GetPointer()})
        d->detail->recentreWhenStill(vtkOpenGLPolyDataMapper::SafeDownCast(mapper));
    showOrientationAxes();

    d->lookupTable->SetNumberOfTableValues(256);
    for (int i = 0; i < 256; ++i) {
        const Rgb c = viridis(i / 255.0);
        d->lookupTable->SetTableValue(i, c.r / 255.0, c.g / 255.0, c.b / 255.0, 1.0);
    }
    d->lookupTable->Build();
    d->scalarBar->SetLookupTable(d->lookupTable);
    d->scalarBar->SetNumberOfLabels(5);
    d->scalarBar->SetLabelFormat("%-#6.3g");
    d->scalarBar->SetPosition(0.88, 0.1);
    d->scalarBar->SetWidth(0.08);
    d->scalarBar->SetHeight(0.8);
    d->scalarBar->SetUnconstrainedFontSize(true);
    for (vtkTextProperty *text : {d->scalarBar->GetLabelTextProperty(), d->scalarBar->GetTitleTextProperty()}) {
        text->SetColor(0.15, 0.15, 0.15);
        text->ShadowOff();
        text->ItalicOff();
        text->SetFontSize(14);
    }
    d->scalarBar->GetTitleTextProperty()->BoldOn();
    d->scalarBar->VisibilityOff();
    renderer->AddActor2D(d->scalarBar);

    connect(d->widget, &VtkOpenGLWidget::graphicsReady, this, &MapView::updatePointStyle);
    updatePointStyle(); // the generated networks' and highlights' sizes
    d->picker->SetTolerance(0.01);
    d->picker->PickFromListOn();
    d->picker->AddPickList(d->actor);
}

MapView::~MapView() = default;

VtkOpenGLWidget *MapView::viewport() const { return d->widget; }

std::vector<float> MapView::shown(const std::vector<float> &xyz) const
{
    std::vector<float> flat = xyz;
    if (mFlat)
        for (size_t i = 2; i < flat.size(); i += 3)
            flat[i] = 0.0f;
    return flat;
}

void MapView::setDarkBackground(bool dark)
{
    mDark = dark;
    if (dark)
        d->widget->renderer()->SetBackground(38 / 255.0, 38 / 255.0, 42 / 255.0);
    else
        d->widget->renderer()->SetBackground(1.0, 1.0, 1.0);
    const double text = dark ? 0.9 : 0.15;
    for (vtkTextProperty *property : {d->scalarBar->GetLabelTextProperty(), d->scalarBar->GetTitleTextProperty(),
                                      d->axes->GetXAxisCaptionActor2D()->GetCaptionTextProperty(),
                                      d->axes->GetYAxisCaptionActor2D()->GetCaptionTextProperty(),
                                      d->axes->GetZAxisCaptionActor2D()->GetCaptionTextProperty()})
        property->SetColor(text, text, text);
    applyColours();
    d->widget->requestRender();
}

// A small set of axes in the lower left corner, turning with the map (3D only): the layout's axes
// 1 (red), 2 (green) and 3 (blue).
void MapView::showOrientationAxes()
{
    d->axes->SetXAxisLabelText("1");
    d->axes->SetYAxisLabelText("2");
    d->axes->SetZAxisLabelText("3");
    d->axes->SetShaftTypeToCylinder();
    d->axes->SetTotalLength(1.0, 1.0, 1.0);
    for (vtkCaptionActor2D *caption : {d->axes->GetXAxisCaptionActor2D(), d->axes->GetYAxisCaptionActor2D(), d->axes->GetZAxisCaptionActor2D()}) {
        caption->GetCaptionTextProperty()->SetColor(0.3, 0.3, 0.3);
        caption->GetCaptionTextProperty()->ShadowOff();
        caption->GetCaptionTextProperty()->ItalicOff();
    }
    d->orientation->SetOrientationMarker(d->axes);
    d->orientation->SetInteractor(d->widget->interactor());
    d->orientation->SetDefaultRenderer(d->widget->renderer());
    d->orientation->SetViewport(0.0, 0.0, 0.14, 0.2);
    d->orientation->SetEnabled(1);
    d->orientation->InteractiveOff();
}

void MapView::setTwoDimensional(bool flat)
{
    if (flat == mFlat)
        return;
    mFlat = flat;
    d->axes->SetVisibility(!flat); // a flat map's axes are the view's own
    d->widget->setRotationEnabled(!flat);
    d->widget->renderer()->GetActiveCamera()->SetParallelProjection(flat);
    movePoints(d->layoutXyz, false);
    setOverlayPoints(d->layoutOverlay, d->overlayColours);
    resetCamera();
}

void MapView::setPoints(const std::vector<float> &layout)
{
    d->layoutXyz = layout;
    const std::vector<float> xyz = shown(layout);
    d->xyz = xyz;
    const vtkIdType count = vtkIdType(xyz.size() / 3);
    vtkSmartPointer<vtkPoints> points = pointsOf(xyz);
    d->points->SetPoints(points);
    d->detail->setVertices(vertexCells(count));
    d->hidden.clear();
    d->sizeValues.clear();
    mGroups.clear();
    placeGroupNames();
    d->points->GetPointData()->SetScalars(nullptr);
    updatePointStyle();
    d->lines->SetPoints(points);
    vtkNew<vtkCellArray> noLines;
    d->lines->SetLines(noLines);
    d->lines->GetPointData()->SetScalars(nullptr);
    mSelected = -1;
    d->highlightActor->VisibilityOff();
    setNeighbourPoints({});
    if (!mSelection.empty()) { // other points: the selection does not carry over
        mSelection.clear();
        Q_EMIT selectionChanged();
    }
    resetCamera();
}

void MapView::movePoints(const std::vector<float> &layout, bool fit)
{
    if (layout.size() != d->xyz.size()) {
        setPoints(layout);
        return;
    }
    d->layoutXyz = layout;
    const std::vector<float> xyz = shown(layout);
    d->xyz = xyz;
    vtkPoints *points = d->points->GetPoints();
    for (vtkIdType i = 0; i < vtkIdType(xyz.size() / 3); ++i)
        points->SetPoint(i, xyz[size_t(3 * i)], xyz[size_t(3 * i + 1)], xyz[size_t(3 * i + 2)]);
    points->Modified();
    d->points->Modified();
    d->lines->Modified();
    setSelectedPoint(mSelected); // moves the highlight; renders
    setNeighbourPoints(std::vector<int>(mNeighbours));
    placeGroupNames();
    if (fit)
        fitCameraToPoints(d->widget->renderer(), d->xyz);
    d->widget->requestRender();
}

void MapView::setOverlayPoints(const std::vector<float> &layout, const std::vector<Rgb> &colours)
{
    d->layoutOverlay = layout;
    d->overlayColours = colours;
    d->overlayColours.resize(layout.size() / 3, Rgb{25, 25, 25}); // near-black: apart from every palette colour
    vtkNew<vtkUnsignedCharArray> scalars;
    scalars->SetNumberOfComponents(3);
    for (const Rgb &c : d->overlayColours) {
        const unsigned char rgb[3] = {c.r, c.g, c.b};
        scalars->InsertNextTypedTuple(rgb);
    }
    d->overlay->GetPointData()->SetScalars(scalars);
    const std::vector<float> xyz = shown(layout);
    const vtkIdType count = vtkIdType(xyz.size() / 3);
    d->overlayXyz = xyz;
    d->overlay->SetPoints(pointsOf(xyz));
    d->overlay->SetVerts(vertexCells(count));
    d->overlay->Modified();
    d->overlayCount = int(count);
    d->overlayActor->SetVisibility(count > 0);
    d->widget->requestRender();
}

int MapView::overlayPointCount() const { return d->overlayCount; }

int MapView::pointCount() const { return int(d->xyz.size() / 3); }
const std::vector<float> &MapView::layoutCoordinates() const { return d->layoutXyz; }

void MapView::setColouring(const Colouring &colouring)
{
    d->colouring = colouring;
    applyColours();
    if (colouring.categorical) {
        d->scalarBar->VisibilityOff();
    } else {
        for (int i = 0; i < 256; ++i) {
            const Rgb c = scaleColour(colouring.scale, i / 255.0);
            d->lookupTable->SetTableValue(i, c.r / 255.0, c.g / 255.0, c.b / 255.0, 1.0);
        }
        d->lookupTable->SetTableRange(colouring.minimum, colouring.maximum);
        d->lookupTable->Modified();
        d->scalarBar->SetTitle(colouring.title.c_str());
        d->scalarBar->VisibilityOn();
    }
    d->widget->requestRender();
}

void MapView::applyColours()
{
    const std::vector<Rgb> &source = d->colouring.colours;
    std::vector<bool> selected(source.size(), mSelection.empty());
    for (int point : mSelection)
        if (size_t(point) < selected.size())
            selected[size_t(point)] = true;
    vtkNew<vtkUnsignedCharArray> colours;
    colours->SetName("colour");
    colours->SetNumberOfComponents(3);
    colours->SetNumberOfTuples(vtkIdType(source.size()));
    for (size_t i = 0; i < source.size(); ++i) {
        Rgb c = source[i];
        if (!selected[i])
            c = mDark ? fadedColour(c, Rgb{38, 38, 42}) : fadedColour(c);
        const unsigned char rgb[3] = {c.r, c.g, c.b};
        colours->SetTypedTuple(vtkIdType(i), rgb);
    }
    d->points->GetPointData()->SetScalars(colours);
    d->points->Modified();
    d->lines->GetPointData()->SetScalars(colours);
    d->lines->Modified();
}

void MapView::setHoverText(std::function<QString(int)> provider) { mHoverText = std::move(provider); }

void MapView::setNeighbourPoints(const std::vector<int> &points)
{
    mNeighbours.clear();
    std::vector<float> xyz;
    for (int point : points)
        if (point >= 0 && point < pointCount()) {
            mNeighbours.push_back(point);
            xyz.insert(xyz.end(), d->xyz.begin() + 3 * point, d->xyz.begin() + 3 * point + 3);
        }
    d->neighbours->SetPoints(pointsOf(xyz));
    d->neighbours->SetVerts(vertexCells(vtkIdType(mNeighbours.size())));
    d->neighbours->Modified();
    d->neighboursActor->SetVisibility(!mNeighbours.empty());
    d->widget->requestRender();
}

void MapView::setSelectedPoint(int index)
{
    mSelected = index >= 0 && index < pointCount() ? index : -1;
    if (mSelected < 0) {
        d->highlightActor->VisibilityOff();
    } else {
        vtkNew<vtkPoints> point;
        point->InsertNextPoint(d->xyz[size_t(3 * mSelected)], d->xyz[size_t(3 * mSelected + 1)],
                               d->xyz[size_t(3 * mSelected + 2)]);
        d->highlight->SetPoints(point);
        d->highlight->SetVerts(vertexCells(1));
        d->highlight->Modified();
        d->highlightActor->VisibilityOn();
    }
    if (trajectoryEmphasis() == TrajectoryEmphasis::SelectedOnly)
        drawTrajectories(); // the current point's model
    d->widget->requestRender();
}

void MapView::setHiddenPoints(const std::vector<bool> &hidden)
{
    d->hidden = hidden;
    const vtkIdType count = vtkIdType(d->xyz.size() / 3);
    vtkNew<vtkCellArray> cells;
    for (vtkIdType i = 0; i < count; ++i)
        if (size_t(i) >= hidden.size() || !hidden[size_t(i)])
            cells->InsertNextCell(1, &i);
    d->detail->setVertices(cells);
    d->points->Modified();
    drawTrajectories(); // trajectories through hidden points go too
    if (mSelected >= 0 && size_t(mSelected) < hidden.size() && hidden[size_t(mSelected)])
        setSelectedPoint(-1);
    placeGroupNames();
    updatePointStyle();
    d->widget->requestRender();
}

bool MapView::isHidden(int index) const
{
    return index >= 0 && size_t(index) < d->hidden.size() && d->hidden[size_t(index)];
}

int MapView::visiblePointCount() const
{
    return pointCount() - int(std::count(d->hidden.begin(), d->hidden.end(), true));
}

std::vector<MapView::ProjectedPoint> MapView::projectedPoints() const { return project(d->xyz); }
std::vector<MapView::ProjectedPoint> MapView::projectedOverlay() const { return project(d->overlayXyz); }
const std::vector<Rgb> &MapView::overlayColours() const { return d->overlayColours; }
const Colouring &MapView::colouring() const { return d->colouring; }

void MapView::resetCamera()
{
    vtkRenderer *renderer = d->widget->renderer();
    vtkCamera *camera = renderer->GetActiveCamera();
    camera->SetFocalPoint(0, 0, 0);
    if (mFlat)
        camera->SetPosition(0.0, 0.0, 1.0); // straight from above: axis 1 to the right, axis 2 up
    else
        camera->SetPosition(0.0, -0.4, 1.0); // PC1 to the right, PC2 up, PC3 slightly towards the viewer
    camera->SetViewUp(0, 1, 0);
    fitCameraToPoints(renderer, d->xyz);
    d->widget->requestRender();
}

} // namespace wse
