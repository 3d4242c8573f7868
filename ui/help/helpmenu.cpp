#include "help/helpmenu.h"

#include "help/aboutdialog.h"
#include "help/shortcutsdialog.h"
#include "help/userguide.h"

#include <QApplication>
#include <QMainWindow>
#include <QMenuBar>

namespace wse {

void addHelpMenu(QMainWindow &window)
{
    QMenu *help = window.menuBar()->addMenu(QObject::tr("&Help"));
    QAction *guide = help->addAction(QObject::tr("&User Guide"), &window, [&window] { showUserGuide(&window); });
    guide->setObjectName("userGuideAction");
    guide->setShortcut(QKeySequence::HelpContents);
    QAction *keys = help->addAction(QObject::tr("&Keyboard Shortcuts"), &window,
                                    [&window] { showShortcutsDialog(&window, *window.menuBar()); });
    keys->setObjectName("shortcutsAction");
    keys->setShortcut(QKeySequence(QObject::tr("Ctrl+/")));
    help->addSeparator();
    QAction *about = help->addAction(QObject::tr("&About Weight Space Explorer"), &window, [&window] { showAboutDialog(&window); });
    about->setObjectName("aboutAction");
    about->setMenuRole(QAction::AboutRole);
    help->addAction(QObject::tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

} // namespace wse
