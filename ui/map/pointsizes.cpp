#include "map/pointsizes.h"

#include <vtkActor.h>
#include <vtkFloatArray.h>
#include <vtkNew.h>
#include <vtkOpenGLPolyDataMapper.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkShaderProperty.h>
#include <vtkUniforms.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace wse {

namespace {

constexpr const char *kDiameterArray = "wse point diameter";

// Adds `declaration` to the vertex shader's declarations and sets gl_PointSize to `size`.
void setShaderPointSize(vtkActor *actor, const char *declaration, const char *size)
{
    vtkShaderProperty *shader = actor->GetShaderProperty();
    shader->ClearAllVertexShaderReplacements();
    shader->AddVertexShaderReplacement("//VTK::PositionVC::Dec", true,
                                       std::string("//VTK::PositionVC::Dec\n") + declaration, false);
    shader->AddVertexShaderReplacement("//VTK::PositionVC::Impl", true,
                                       std::string("//VTK::PositionVC::Impl\n  gl_PointSize = ") + size + ";\n", false);
}

} // namespace

void useUniformPointSize(vtkActor *actor)
{
    setShaderPointSize(actor, "", "wseFixedPointSize");
    setUniformPointSize(actor, 9.0f);
}

void setUniformPointSize(vtkActor *actor, float pixels)
{
    actor->GetShaderProperty()->GetVertexCustomUniforms()->SetUniformf("wseFixedPointSize", pixels);
}

void usePerPointSizes(vtkActor *actor, vtkOpenGLPolyDataMapper *mapper)
{
    setShaderPointSize(actor, "in float wsePointDiameter;", "wsePointDiameter");
    mapper->MapDataArrayToVertexAttribute("wsePointDiameter", kDiameterArray, vtkDataObject::FIELD_ASSOCIATION_POINTS, -1);
}

void setPointDiameters(vtkPolyData *points, const std::vector<float> &pixels)
{
    vtkNew<vtkFloatArray> diameters;
    diameters->SetName(kDiameterArray);
    diameters->SetNumberOfTuples(vtkIdType(pixels.size()));
    std::copy(pixels.begin(), pixels.end(), diameters->GetPointer(0));
    points->GetPointData()->AddArray(diameters);
    points->Modified();
}

std::vector<float> diametersFor(const std::vector<double> &values, float base, size_t count)
{
    std::vector<float> diameters(count, base);
    if (values.size() != count)
        return diameters;
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (double v : values)
        if (std::isfinite(v)) {
            low = std::min(low, v);
            high = std::max(high, v);
        }
    for (size_t i = 0; i < count; ++i) {
        const double v = values[i];
        const double t = !std::isfinite(v) ? 0.0 : high > low ? (v - low) / (high - low) : 0.5;
        diameters[i] = float(base * std::sqrt(0.3 + 2.2 * t));
    }
    return diameters;
}

} // namespace wse
