#pragma once
// The map as a figure — vector SVG or PDF, or a PNG of any size and resolution — drawn with
// QPainter from what the view shows: every point where the camera puts it (far ones first),
// trajectories, generated networks, the selection, and the legend or colour bar. (Debian's VTK
// GL2PS export drops 3D content from SVG.)
#include <QSize>
#include <QString>

namespace wse {

class MapView;

// `path` ends in .svg or .pdf. Throws wse::IoError naming the file when it cannot be written.
void writeVectorFigure(const MapView &view, const QString &path, const QString &title = {});

struct ImageOptions
{
    QSize size;             // pixels; empty: the view's size. The map keeps its aspect ratio.
    int dpi = 96;           // written into the PNG (what print layouts scale by)
    bool transparent = false;
};
// A PNG of the map with its legend or colour bar, written atomically. Throws wse::IoError.
void writeMapImage(const MapView &view, const QString &path, const ImageOptions &options, const QString &title = {});

} // namespace wse
