#include "glcheck.h"

#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QSurfaceFormat>

namespace wse {

void setDefaultSurfaceFormat()
{
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setDepthBufferSize(24);
    format.setAlphaBufferSize(8);
    format.setSamples(0);
    QSurfaceFormat::setDefaultFormat(format);
}

QString checkOpenGl()
{
    QOpenGLContext context;
    context.setFormat(QSurfaceFormat::defaultFormat());
    if (!context.create())
        return QStringLiteral("No OpenGL context could be created on this display.");
    QOffscreenSurface surface;
    surface.setFormat(context.format());
    surface.create();
    if (!surface.isValid() || !context.makeCurrent(&surface))
        return QStringLiteral("An OpenGL context was created but could not be used.");
    const QPair<int, int> version = context.format().version();
    context.doneCurrent();
    if (version < qMakePair(3, 2))
        return QStringLiteral("OpenGL %1.%2 is available, the 3D map needs 3.2 or newer.").arg(version.first).arg(version.second);
    return {};
}

} // namespace wse
