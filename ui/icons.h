#pragma once
// The explorer's icons (resources/wse.qrc): the application icon, and action icons drawn from SVGs
// whose lines take the palette's text colour, so that they read on the light and the dark theme.
#include <QIcon>
#include <QString>

class QAction;
class QWidget;

namespace wse {

QIcon applicationIcon();
// `name` is a file of resources/icons/actions without ".svg" ("open", "save", ...).
QIcon actionIcon(const QString &name);
// Sets the icon and remembers its name, so that refreshActionIcons redraws it in a new palette.
void setActionIcon(QAction *action, const QString &name);
void refreshActionIcons(QWidget &window);

} // namespace wse
