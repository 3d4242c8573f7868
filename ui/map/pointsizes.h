#pragma once
// Point sizes chosen by the vertex shader (gl_PointSize) instead of glPointSize, so that the map
// can size each point by a column. The viewport turns GL_PROGRAM_POINT_SIZE on for everything it
// draws, so every actor that draws points must use one of these two.
#include <cstddef>
#include <vector>

class vtkActor;
class vtkOpenGLPolyDataMapper;
class vtkPolyData;

namespace wse {

// Every point of the actor as wide as setUniformPointSize says (a shader uniform: changing it
// does not rebuild the shader).
void useUniformPointSize(vtkActor *actor);
void setUniformPointSize(vtkActor *actor, float pixels);

// Each point as wide as its entry in the point array that setPointDiameters attaches.
void usePerPointSizes(vtkActor *actor, vtkOpenGLPolyDataMapper *mapper);
void setPointDiameters(vtkPolyData *points, const std::vector<float> &pixels);

// Diameters for sizing points by a value each: areas grow linearly with the value's place in its
// finite range, from 0.3 to 2.5 times the area of a `base` point (0.55 to 1.6 times as wide);
// missing values (NaN) get the smallest size. Without values every point is `base` wide.
std::vector<float> diametersFor(const std::vector<double> &values, float base, std::size_t count);

} // namespace wse
