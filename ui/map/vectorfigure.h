#pragma once
// The map as a vector figure (SVG or PDF), drawn with QPainter from what the view shows: every
// point where the camera puts it (far ones first), trajectories, generated networks, the
// selection, and the legend or colour bar. (Debian's VTK GL2PS export drops 3D content from SVG.)
#include <QString>

namespace wse {

class MapView;

// `path` ends in .svg or .pdf. Throws wse::IoError naming the file when it cannot be written.
void writeVectorFigure(const MapView &view, const QString &path, const QString &title = {});

} // namespace wse
