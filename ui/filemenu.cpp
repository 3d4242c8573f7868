#include "filemenu.h"

#include "document/zoodocument.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

namespace wse {

namespace {
const char *RecentKey = "files/recent";
constexpr int MaxRecent = 10;

void exportImage(MainWindow &window)
{
    const QString path = QFileDialog::getSaveFileName(&window, QObject::tr("Export Figure"), QStringLiteral("map.png"),
                                                      QObject::tr("PNG image of the window (*.png);;SVG vector figure of the map (*.svg);;"
                                                                  "PDF vector figure of the map (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!window.exportFigure(path, &error))
        QMessageBox::critical(&window, QObject::tr("Error Exporting Figure"), error);
}

} // namespace

QStringList recentFiles()
{
    QStringList files;
    for (const QString &path : QSettings().value(RecentKey).toStringList())
        if (QFileInfo::exists(path))
            files << path;
    return files;
}

void rememberRecentFile(const QString &path)
{
    QStringList files = QSettings().value(RecentKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > MaxRecent)
        files.removeLast();
    QSettings().setValue(RecentKey, files);
}

QString demoZooPath()
{
    const QString configured = qEnvironmentVariable("WSE_DEMO_ZOO");
    if (!configured.isEmpty())
        return configured;
    // run.sh trains it into build/demo; the explorer is build/app/explorer/wse-explorer.
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath("../../demo/demo-zoo.h5");
    if (QFileInfo::exists(beside))
        return QFileInfo(beside).absoluteFilePath();
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("demo/demo-zoo.h5");
}

void chooseAndOpen(MainWindow &window)
{
    const QString path =
        QFileDialog::getOpenFileName(&window, QObject::tr("Open Zoo or Workspace"), {},
                                     QObject::tr("Zoos and workspaces (*.h5 *.hdf5);;All files (*)"));
    if (!path.isEmpty())
        window.openZoo(path);
}

void saveWorkspaceInteractively(MainWindow &window, QString path)
{
    if (!window.document())
        return;
    if (path.isEmpty())
        path = QFileDialog::getSaveFileName(&window, QObject::tr("Save Workspace"),
                                            QFileInfo(window.document()->path()).baseName() + "-workspace.h5",
                                            QObject::tr("Workspaces (*.h5)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!window.saveWorkspace(path, &error))
        QMessageBox::critical(&window, QObject::tr("Error Saving Workspace"), error);
}

void addFileMenu(MainWindow &window)
{
    QMenu *file = window.menuBar()->addMenu(QObject::tr("&File"));
    QAction *open = file->addAction(QObject::tr("&Open Zoo or Workspace..."), &window, [&window] { chooseAndOpen(window); });
    open->setShortcut(QKeySequence::Open);
    QMenu *recent = file->addMenu(QObject::tr("Open &Recent"));
    QObject::connect(recent, &QMenu::aboutToShow, recent, [recent, &window] {
        recent->clear();
        const QStringList files = recentFiles();
        for (int i = 0; i < files.size(); ++i) {
            QAction *entry = recent->addAction(QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(QFileInfo(files[i]).fileName()),
                                               &window, [&window, path = files[i]] { window.openZoo(path); });
            entry->setToolTip(files[i]);
            entry->setStatusTip(files[i]);
        }
        if (files.isEmpty())
            recent->addAction(QObject::tr("(none yet)"))->setEnabled(false);
    });
    file->addSeparator();
    QAction *save = file->addAction(QObject::tr("&Save Workspace"), &window,
                                    [&window] { saveWorkspaceInteractively(window, window.workspacePath()); });
    save->setShortcut(QKeySequence::Save);
    QAction *saveAs = file->addAction(QObject::tr("Save Workspace &As..."), &window,
                                      [&window] { saveWorkspaceInteractively(window, {}); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    QAction *exportPng = file->addAction(QObject::tr("&Export Figure (PNG, SVG, PDF)..."), &window,
                                         [&window] { exportImage(window); });
    exportPng->setShortcut(QKeySequence(QObject::tr("Ctrl+E")));
    file->addSeparator();
    QAction *quit = file->addAction(QObject::tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
}

} // namespace wse
