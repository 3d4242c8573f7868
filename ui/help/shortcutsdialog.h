#pragma once
// Help > Keyboard Shortcuts: every menu action that has a shortcut, read from the menu bar itself
// (so the list cannot drift from what the keys do), with the map's mouse gestures below.
#include <QList>
#include <QString>

class QMenuBar;
class QWidget;

namespace wse {

struct ShortcutEntry
{
    QString menu;     // "File", "Generate > Path"
    QString action;   // "Open Zoo or Workspace..."
    QString shortcut; // in the platform's notation, "Ctrl+O"
};

QList<ShortcutEntry> menuShortcuts(const QMenuBar &bar);
void showShortcutsDialog(QWidget *parent, const QMenuBar &bar);

} // namespace wse
