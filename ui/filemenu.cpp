#include "filemenu.h"

#include "analysis/pointscsv.h"
#include "common/error.h"
#include "common/textfile.h"
#include "document/zoodocument.h"
#include "errordialog.h"
#include "formats/fileformat.h"
#include "icons.h"
#include "jobs/jobcentre.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "map/vectorfigure.h"
#include "preferences/filedialogs.h"
#include "preferences/setting.h"
#include "viewport/vtkopenglwidget.h"
#include "wizards/trainmenu.h"

#include <QAction>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStandardPaths>

namespace wse {

namespace {
const Setting<QStringList> recentFilesSetting{QStringLiteral("files/recent")};
constexpr int MaxRecent = 10;

// Size, resolution and background of a PNG figure; false when cancelled.
bool askImageOptions(QWidget *parent, ImageOptions &options)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("PNG Figure"));
    auto *form = new QFormLayout(&dialog);
    auto *width = new QSpinBox, *height = new QSpinBox, *dpi = new QSpinBox;
    for (QSpinBox *box : {width, height})
        box->setRange(64, 20000);
    width->setValue(options.size.width());
    height->setValue(options.size.height());
    dpi->setRange(36, 2400);
    dpi->setValue(options.dpi);
    auto *transparent = new QCheckBox(QObject::tr("Transparent background"));
    auto *sizes = new QHBoxLayout;
    sizes->addWidget(width);
    sizes->addWidget(new QLabel(QStringLiteral("×")));
    sizes->addWidget(height);
    sizes->addWidget(new QLabel(QObject::tr("pixels")));
    form->addRow(QObject::tr("Size:"), sizes);
    form->addRow(QObject::tr("Resolution (DPI):"), dpi);
    form->addRow(transparent);
    auto *physical = new QLabel;
    auto describe = [=] {
        physical->setText(QObject::tr("%1 × %2 cm when printed")
                              .arg(width->value() * 2.54 / dpi->value(), 0, 'f', 1)
                              .arg(height->value() * 2.54 / dpi->value(), 0, 'f', 1));
    };
    for (QSpinBox *box : {width, height, dpi})
        QObject::connect(box, &QSpinBox::valueChanged, &dialog, describe);
    describe();
    form->addRow(physical);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    options.size = QSize(width->value(), height->value());
    options.dpi = dpi->value();
    options.transparent = transparent->isChecked();
    return true;
}

void exportImage(MainWindow &window)
{
    const QString figure = QObject::tr("PNG figure of the map, any size and resolution (*.png)");
    QString chosen;
    const QString path = QFileDialog::getSaveFileName(&window, QObject::tr("Export Figure"),
                                                      QDir(lastFolder(QStringLiteral("figure"))).filePath("map.png"),
                                                      figure + ";;" + QObject::tr("PNG screenshot of the window (*.png);;"
                                                                                  "SVG vector figure of the map (*.svg);;"
                                                                                  "PDF vector figure of the map (*.pdf)"),
                                                      &chosen);
    if (path.isEmpty())
        return;
    rememberFolder(QStringLiteral("figure"), path);
    QString error;
    if (chosen == figure) {
        ImageOptions options;
        options.size = window.mapView()->viewport()->size() * 2; // twice the screen: crisp in print
        options.dpi = 300;
        if (!askImageOptions(&window, options))
            return;
        try {
            writeMapImage(*window.mapView(), path, options);
            return;
        } catch (const std::exception &failure) {
            error = QString::fromStdString(failure.what());
        }
    } else if (exportFigure(window, path, &error)) {
        return;
    }
    showError(&window, QObject::tr("Exporting Figure"), error);
}

} // namespace

bool exportPointsCsv(MainWindow &window, const QString &path, bool selectedOnly, QString *error)
{
    const ZooDocument *document = window.document();
    if (!document) {
        *error = QObject::tr("Open a zoo first.");
        return false;
    }
    try {
        const WeightMap &map = document->map(window.mapSource());
        const std::vector<int> points = selectedOnly ? window.mapView()->selection() : std::vector<int>{};
        if (selectedOnly && points.empty())
            throw UsageError("nothing is selected");
        MapPoints csv;
        csv.zoo = &document->zoo();
        csv.checkpoints = map.checkpoints;
        csv.layout = window.mapView()->layoutCoordinates();
        csv.layout.resize(map.checkpoints.size() * 3, 0.0f);
        csv.layoutName = methodName(window.layoutMethod());
        if (window.mapSource() == MapSource::SaneEmbeddings) {
            csv.features = map.features;
            csv.featureDims = map.featureDims;
        }
        writeTextFile(path.toStdString(), pointsCsv(csv, points));
        return true;
    } catch (const std::exception &failure) {
        *error = QString::fromStdString(failure.what());
        return false;
    }
}

bool exportFigure(MainWindow &window, const QString &path, QString *error)
{
    try {
        if (path.endsWith(".svg", Qt::CaseInsensitive) || path.endsWith(".pdf", Qt::CaseInsensitive)) {
            writeVectorFigure(*window.mapView(), path, window.statusSummary());
            return true;
        }
        if (window.grab().save(path))
            return true;
        if (error)
            *error = QObject::tr("Could not write %1").arg(path);
    } catch (const std::exception &failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
    }
    return false;
}

QStringList recentFiles()
{
    QStringList files;
    for (const QString &path : recentFilesSetting.get())
        if (QFileInfo::exists(path))
            files << path;
    return files;
}

void rememberRecentFile(const QString &path)
{
    QStringList files = recentFilesSetting.get();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > MaxRecent)
        files.removeLast();
    recentFilesSetting.set(files);
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
    const QString path = chooseFileToOpen(&window, QObject::tr("Open Zoo or Workspace"), {FileKind::Zoo, FileKind::Workspace});
    if (!path.isEmpty())
        window.openZoo(path);
}

void importOfficialFolder(MainWindow &window, const QString &folder, const QString &output)
{
    jobCentre(window)->startImport(folder, output);
}

void chooseAndImport(MainWindow &window)
{
    const QString folder = chooseFolder(&window, QObject::tr("Official Model Zoos folder (one sub-folder per model)"),
                                        QString::fromStdString(fileFormat(FileKind::OfficialZoo).id));
    if (folder.isEmpty())
        return;
    const QString output = chooseFileToSave(&window, QObject::tr("Zoo file to write"), FileKind::Zoo,
                                            QDir(folder).absolutePath() + ".h5");
    if (!output.isEmpty())
        importOfficialFolder(window, folder, output);
}

bool saveWorkspaceInteractively(MainWindow &window, QString path)
{
    if (!window.document())
        return false;
    if (path.isEmpty())
        path = chooseFileToSave(&window, QObject::tr("Save Workspace"), FileKind::Workspace,
                                QFileInfo(window.document()->path()).baseName() + "-workspace.h5");
    if (path.isEmpty())
        return false;
    QString error;
    if (!window.saveWorkspace(path, &error)) {
        showError(&window, QObject::tr("Saving Workspace"), error);
        return false;
    }
    return true;
}

void addFileMenu(MainWindow &window)
{
    QMenu *file = window.menuBar()->addMenu(QObject::tr("&File"));
    QAction *open = file->addAction(QObject::tr("&Open Zoo or Workspace..."), &window, [&window] { chooseAndOpen(window); });
    open->setShortcut(QKeySequence::Open);
    open->setObjectName("openAction");
    setActionIcon(open, "open");
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
    QAction *import = file->addAction(QObject::tr("&Import Official Zoo Folder..."), &window, [&window] { chooseAndImport(window); });
    import->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+O")));
    file->addSeparator();
    QAction *save = file->addAction(QObject::tr("&Save Workspace"), &window,
                                    [&window] { saveWorkspaceInteractively(window, window.workspacePath()); });
    save->setShortcut(QKeySequence::Save);
    save->setObjectName("saveWorkspaceAction");
    setActionIcon(save, "save");
    QAction *saveAs = file->addAction(QObject::tr("Save Workspace &As..."), &window,
                                      [&window] { saveWorkspaceInteractively(window, {}); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    QAction *exportPng = file->addAction(QObject::tr("&Export Figure (PNG, SVG, PDF)..."), &window,
                                         [&window] { exportImage(window); });
    exportPng->setShortcut(QKeySequence(QObject::tr("Ctrl+E")));
    exportPng->setObjectName("exportFigureAction");
    setActionIcon(exportPng, "export-figure");
    QAction *csv = file->addAction(QObject::tr("Export &Points as CSV..."), &window, [&window] {
        if (!window.document())
            return;
        const QString path = chooseFileToSave(&window, QObject::tr("Export Points"), QStringLiteral("points"),
                                              QStringLiteral("points.csv"), QObject::tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        const bool selected = !window.mapView()->selection().empty() &&
                              QMessageBox::question(&window, QObject::tr("Export Points"),
                                                    QObject::tr("Only the %1 selected points?").arg(window.mapView()->selection().size())) ==
                                  QMessageBox::Yes;
        QString error;
        if (!exportPointsCsv(window, path, selected, &error))
            showError(&window, QObject::tr("Exporting Points"), error);
    });
    csv->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+C")));
    file->addSeparator();
    QAction *quit = file->addAction(QObject::tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
}

} // namespace wse
