#include "icons.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QPainter>
#include <QPalette>
#include <QSvgRenderer>
#include <QWidget>

// Outside any namespace, as Q_INIT_RESOURCE requires; once is enough.
static void registerResources()
{
    static const bool registered = [] {
        Q_INIT_RESOURCE(wse);
        return true;
    }();
    (void)registered;
}

namespace wse {

namespace {

const char *IconNameProperty = "wseIconName";

// Lines a little lighter than text: icons beside menu labels should not outweigh them.
QColor iconInk()
{
    const QPalette palette = QApplication::palette();
    const QColor text = palette.color(QPalette::WindowText), window = palette.color(QPalette::Window);
    return QColor::fromRgbF(0.8f * text.redF() + 0.2f * window.redF(), 0.8f * text.greenF() + 0.2f * window.greenF(),
                            0.8f * text.blueF() + 0.2f * window.blueF());
}

} // namespace

QIcon applicationIcon()
{
    registerResources();
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256, 512})
        icon.addFile(QStringLiteral(":/icons/app/hicolor/%1x%1/weight-space-explorer.png").arg(size), QSize(size, size));
    return icon;
}

// Rendered here rather than by Qt's SVG icon engine: the ink is the palette's, and the installed
// explorer needs no icon-engine plugin.
QIcon actionIcon(const QString &name)
{
    registerResources();
    QFile file(QStringLiteral(":/icons/actions/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray svg = file.readAll();
    svg.replace("currentColor", iconInk().name().toLatin1());
    QSvgRenderer renderer(svg);
    QIcon icon;
    for (int size : {16, 20, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void setActionIcon(QAction *action, const QString &name)
{
    action->setProperty(IconNameProperty, name);
    action->setIcon(actionIcon(name));
}

void refreshActionIcons(QWidget &window)
{
    for (QAction *action : window.findChildren<QAction *>()) {
        const QString name = action->property(IconNameProperty).toString();
        if (!name.isEmpty())
            action->setIcon(actionIcon(name));
    }
}

} // namespace wse
