#pragma once
// What MapView draws with (VTK data, mappers and actors) and what it keeps about its points,
// shared by mapview.cpp (points, colours, camera, picking) and mapviewstyle.cpp (sizes, style,
// names).
#include "map/colouring.h"
#include "map/interactivedetail.h"
#include "map/maplabels.h"
#include "map/mapview.h"

#include <vtkActor.h>
#include <vtkAxesActor.h>
#include <vtkOrientationMarkerWidget.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkPointPicker.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkScalarBarActor.h>

#include <memory>
#include <vector>

namespace wse {

struct MapView::Scene
{
    VtkOpenGLWidget *widget = nullptr;
    vtkNew<vtkPolyData> points;
    vtkNew<vtkPolyDataMapper> mapper;
    vtkNew<vtkActor> actor;
    vtkNew<vtkPolyData> lines;
    vtkNew<vtkPolyDataMapper> linesMapper;
    vtkNew<vtkActor> linesActor;
    vtkNew<vtkPolyData> highlight;
    vtkNew<vtkPolyDataMapper> highlightMapper;
    vtkNew<vtkActor> highlightActor;
    vtkNew<vtkPolyData> neighbours; // of the current point
    vtkNew<vtkPolyDataMapper> neighboursMapper;
    vtkNew<vtkActor> neighboursActor;
    vtkNew<vtkPolyData> overlay; // generated networks (sampled, decoded), drawn on top
    vtkNew<vtkPolyDataMapper> overlayMapper;
    vtkNew<vtkActor> overlayActor;
    int overlayCount = 0;
    vtkNew<vtkAxesActor> axes; // in a corner of the 3D view: which way the layout's axes 1, 2, 3 point
    vtkNew<vtkOrientationMarkerWidget> orientation;
    vtkNew<vtkLookupTable> lookupTable;
    vtkNew<vtkScalarBarActor> scalarBar;
    vtkNew<vtkPointPicker> picker;
    std::vector<float> xyz, layoutXyz;        // as drawn; as the layout placed them (3D)
    std::vector<float> overlayXyz, layoutOverlay;
    std::vector<Rgb> overlayColours;
    std::vector<bool> hidden; // per point; empty = all shown
    Colouring colouring;
    std::vector<std::vector<int>> trajectories;
    std::vector<double> sizeValues; // per point; empty: all points one size
    std::vector<float> diameters;   // per point, pixels, as drawn
    bool spheres = true;
    bool frontmostPerPixel = true; // allowed in still frames of many flat points
    std::unique_ptr<InteractiveDetail> detail; // thins many points while the map is turned
    std::unique_ptr<MapLabels> labels;         // the point groups' names
};

} // namespace wse
