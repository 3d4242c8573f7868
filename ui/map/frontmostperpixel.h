#pragma once
// Level of detail for still frames of very many points: of the points whose centres fall on the
// same pixel, only the one in front (the last drawn among equals, as the depth test keeps it) can
// show there, and points of one size cover the same pixels from the same centre. Drawing only
// those gives nearly the frame every point gives, with far fewer points when the map is zoomed
// out (a million points fall on a few hundred thousand pixels at most) and all of them when it is
// zoomed in far enough to spread them apart.
#include <vtkSmartPointer.h>

class vtkCellArray;
class vtkPoints;
class vtkRenderer;

namespace wse {

// The vertices (single-point cells) among `vertices` whose point is the frontmost on its pixel of
// `renderer`'s view; points outside the view (beyond a margin of a point's size) are left out.
vtkSmartPointer<vtkCellArray> frontmostPerPixel(vtkRenderer *renderer, vtkPoints *points, vtkCellArray *vertices);

} // namespace wse
