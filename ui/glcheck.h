#pragma once
#include <QString>

namespace wse {

// Sets the default surface format the VTK viewport needs (OpenGL 3.2 core). Call before QApplication.
void setDefaultSurfaceFormat();

// Tries to create an OpenGL 3.2 context. Returns an empty string on success, else what went wrong.
QString checkOpenGl();

} // namespace wse
