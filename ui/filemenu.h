#pragma once
// The explorer's File menu: open (zoos, workspaces, recent files, the demo zoo), save the
// workspace, export figures, quit. Recent files live in the user's settings.
#include <QString>
#include <QStringList>

namespace wse {

class MainWindow;

void addFileMenu(MainWindow &window);
void chooseAndOpen(MainWindow &window);
// Imports an official Model Zoos folder into `output` as a job (progress, the skipped models
// reported); the zoo opens when it is done.
void importOfficialFolder(MainWindow &window, const QString &folder, const QString &output);
void chooseAndImport(MainWindow &window); // asks for the folder and the zoo file
// Saves to `path`, or to a file the user chooses when it is empty; false when nothing was saved.
bool saveWorkspaceInteractively(MainWindow &window, QString path);

// .png: the window as shown; .svg / .pdf: the map as a vector figure with its legend. False with
// the reason in `error`.
bool exportFigure(MainWindow &window, const QString &path, QString *error = nullptr);

// The shown map's points as CSV (columns, layout position, SANE features on the SANE map); only
// the selected ones with `selectedOnly`. False with the reason in `error`.
bool exportPointsCsv(MainWindow &window, const QString &path, bool selectedOnly, QString *error);

// Most recent first, only files that still exist; at most ten.
QStringList recentFiles();
void rememberRecentFile(const QString &path);

// The demo zoo run.sh trains (WSE_DEMO_ZOO, else beside the build's binaries, else in the user's
// data folder), and whether it exists yet.
QString demoZooPath();

} // namespace wse
