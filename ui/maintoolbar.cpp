#include "maintoolbar.h"

#include <QAction>
#include <QMainWindow>
#include <QToolBar>

namespace wse {

QToolBar *addMainToolBar(QMainWindow &window)
{
    QToolBar *bar = window.addToolBar(QObject::tr("Main Toolbar"));
    bar->setObjectName("mainToolBar"); // its place is saved with the docks
    bar->setIconSize(QSize(22, 22));
    const char *groups[][3] = {{"openAction", "saveWorkspaceAction", "exportFigureAction"},
                               {"embedAction", "sampleAction", "decodeAction"},
                               {"newZooAction", "trainSaneAction", "jobsAction"}};
    for (const auto &group : groups) {
        if (!bar->actions().isEmpty())
            bar->addSeparator();
        for (const char *name : group) {
            auto *action = window.findChild<QAction *>(QString::fromLatin1(name));
            Q_ASSERT(action); // a renamed action would silently leave the toolbar
            if (!action)
                continue;
            bar->addAction(action);
            // The tooltip says what the shortcut is, as menus do.
            if (!action->shortcut().isEmpty())
                action->setToolTip(QStringLiteral("%1 (%2)").arg(action->text().remove('&').remove(QStringLiteral("...")),
                                                                 action->shortcut().toString(QKeySequence::NativeText)));
        }
    }
    return bar;
}

} // namespace wse
