#include "map/frontmostperpixel.h"

#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkIdTypeArray.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkRenderer.h>

#include <limits>
#include <vector>

namespace wse {

namespace {

constexpr int MarginPixels = 8; // a point centred just outside the view still shows its edge

} // namespace

vtkSmartPointer<vtkCellArray> frontmostPerPixel(vtkRenderer *renderer, vtkPoints *points, vtkCellArray *vertices)
{
    const int *size = renderer->GetSize();
    const int width = size[0] + 2 * MarginPixels, height = size[1] + 2 * MarginPixels;
    double m[16];
    vtkMatrix4x4::DeepCopy(m, renderer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(
                                  renderer->GetTiledAspectRatio(), -1, 1));
    std::vector<float> depth(size_t(width) * size_t(height), std::numeric_limits<float>::infinity());
    std::vector<vtkIdType> front(depth.size(), -1);
    vtkDataArray *ids = vertices->GetConnectivityArray();
    const vtkIdType count = ids->GetNumberOfTuples();
    for (vtkIdType c = 0; c < count; ++c) {
        const vtkIdType id = vtkIdType(ids->GetComponent(c, 0));
        double p[3];
        points->GetPoint(id, p);
        const double w = m[12] * p[0] + m[13] * p[1] + m[14] * p[2] + m[15];
        if (w <= 0)
            continue; // behind the camera
        const double x = (m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3]) / w;
        const double y = (m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7]) / w;
        const double z = (m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11]) / w;
        const double column = (x + 1.0) * 0.5 * size[0] + MarginPixels, row = (y + 1.0) * 0.5 * size[1] + MarginPixels;
        if (!(column >= 0 && column < width && row >= 0 && row < height && z >= -1 && z <= 1))
            continue;
        const size_t cell = size_t(int(row)) * size_t(width) + size_t(int(column));
        if (float(z) <= depth[cell]) { // later points win ties, as in the drawing
            depth[cell] = float(z);
            front[cell] = c;
        }
    }
    // Kept in the vertices' order, which is the drawing order.
    std::vector<char> keep(size_t(count), 0);
    vtkIdType kept = 0;
    for (vtkIdType c : front)
        if (c >= 0) {
            keep[size_t(c)] = 1;
            ++kept;
        }
    vtkNew<vtkIdTypeArray> offsets, connectivity;
    offsets->SetNumberOfValues(kept + 1);
    connectivity->SetNumberOfValues(kept);
    vtkIdType next = 0;
    for (vtkIdType c = 0; c < count; ++c)
        if (keep[size_t(c)]) {
            offsets->SetValue(next, next);
            connectivity->SetValue(next++, vtkIdType(ids->GetComponent(c, 0)));
        }
    offsets->SetValue(kept, kept);
    vtkNew<vtkCellArray> cells;
    cells->SetData(offsets, connectivity);
    return cells;
}

} // namespace wse
