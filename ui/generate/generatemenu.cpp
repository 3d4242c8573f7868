#include "generate/generatemenu.h"

#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "selection/selectionactions.h"
#include "wizards/trainmenu.h"
#include "formats/fileformat.h"
#include "errordialog.h"
#include "preferences/filedialogs.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace wse {

namespace {

void exportNetwork(MainWindow &window)
{
    const QStringList labels = window.generation()->networkLabels();
    if (labels.isEmpty()) {
        QMessageBox::information(&window, QObject::tr("Export Network"),
                                 QObject::tr("Sample or decode networks first (Generate menu)."));
        return;
    }
    bool ok = false;
    const QString label =
        QInputDialog::getItem(&window, QObject::tr("Export Network"), QObject::tr("Network:"), labels, 0, false, &ok);
    if (!ok)
        return;
    const QString id = label.section(QStringLiteral(" · "), 0, 0);
    const QString path = chooseFileToSave(&window, QObject::tr("Export Network"), FileKind::Checkpoint, id + ".pt");
    if (path.isEmpty())
        return;
    try {
        window.generation()->exportNetwork(id, path);
        window.statusBar()->showMessage(QObject::tr("Wrote %1 and %1.json").arg(path), 8000);
    } catch (const std::exception &error) {
        showError(&window, QObject::tr("Exporting Network"), QString::fromStdString(error.what()));
    }
}

void warnIfFailed(MainWindow &window, bool started, const QString &error)
{
    if (!started)
        QMessageBox::warning(&window, QObject::tr("Decode"), error);
}

void showMapMenu(MainWindow &window, const QPoint &position)
{
    QMenu menu(&window);
    const bool saneMap = window.document() && window.mapSource() == MapSource::SaneEmbeddings;
    QAction *spot = menu.addAction(QObject::tr("Decode This Spot"), &window, [&window, position] {
        QString error, how;
        const bool started = decodeSpot(window, position, &error, &how);
        if (started)
            window.statusBar()->showMessage(how, 15000);
        warnIfFailed(window, started, error);
    });
    spot->setEnabled(saneMap);
    QAction *path = menu.addAction(QObject::tr("Decode the Path Between the Two Selected"), &window, [&window] {
        QString error;
        warnIfFailed(window, decodeSelectedPath(window, 7, &error), error);
    });
    path->setEnabled(window.selectedCheckpoints().size() == 2);
    const int point = window.mapView()->pointAt(position);
    QAction *decode = menu.addAction(QObject::tr("Decode This Checkpoint"), &window, [&window, point] {
        window.selectPoint(point);
        QString error;
        warnIfFailed(window, decodeSelected(window, &error), error);
    });
    decode->setEnabled(point >= 0);
    menu.addSeparator();
    menu.addAction(QObject::tr("Sample Networks..."), &window, [&window] { openSampleWizard(window); })->setEnabled(window.document());
    menu.addAction(QObject::tr("Select None"), &window, [&window] { window.selection()->select({}, QObject::tr("Select None")); });
    menu.exec(window.mapView()->mapToGlobal(position));
}

} // namespace

bool sampleAroundFilter(MainWindow &window, SampleOptions options, QString *error)
{
    if (!window.document() || !window.generation()->sampleAround(window.filter(), options, window.workspacePath(), error))
        return false;
    if (window.mapSource() != MapSource::SaneEmbeddings && window.document()->hasMap(MapSource::SaneEmbeddings))
        window.setMapSource(MapSource::SaneEmbeddings); // where generated networks can be placed
    return true;
}

bool decodeSelected(MainWindow &window, QString *error)
{
    const int point = window.mapView()->selectedPoint();
    if (!window.document())
        return false;
    if (point < 0) {
        *error = QObject::tr("Click a checkpoint on the map first");
        return false;
    }
    return window.generation()->decodeCheckpoint(window.document()->checkpointOf(window.mapSource(), point),
                                                 window.workspacePath(), error);
}

bool decodeSelectedPath(MainWindow &window, int steps, QString *error)
{
    const std::vector<int64_t> selected = window.selectedCheckpoints();
    if (!window.document() || selected.size() != 2) {
        *error = QObject::tr("Select exactly two checkpoints (Shift+click them) to decode the path between them.");
        return false;
    }
    return window.generation()->decodePath(selected[0], selected[1], steps, window.workspacePath(), error);
}

bool decodeSpot(MainWindow &window, const QPoint &spot, QString *error, QString *how)
{
    if (!window.document() || window.mapSource() != MapSource::SaneEmbeddings) {
        *error = QObject::tr("Decoding a spot needs the SANE map (the latent space the decoder reads).");
        return false;
    }
    const std::vector<MapView::ProjectedPoint> points = window.mapView()->projectedPoints();
    std::vector<std::pair<double, int>> distances;
    for (size_t i = 0; i < points.size(); ++i)
        if (!window.mapView()->isHidden(int(i)))
            distances.emplace_back(std::hypot(points[i].position.x() - spot.x(), points[i].position.y() - spot.y()), int(i));
    if (distances.empty()) {
        *error = QObject::tr("No checkpoint is shown to decode from.");
        return false;
    }
    // A decoded network has one dataset and one activation: those of the nearest checkpoint.
    std::sort(distances.begin(), distances.end());
    const Zoo &zoo = window.document()->zoo();
    const int64_t first = window.document()->checkpointOf(MapSource::SaneEmbeddings, distances.front().second);
    distances.erase(std::remove_if(distances.begin(), distances.end(),
                                   [&](const std::pair<double, int> &candidate) {
                                       const int64_t c = window.document()->checkpointOf(MapSource::SaneEmbeddings, candidate.second);
                                       return zoo.checkpointValue(c, "dataset") != zoo.checkpointValue(first, "dataset") ||
                                              zoo.checkpointValue(c, "activation") != zoo.checkpointValue(first, "activation");
                                   }),
                    distances.end());
    const size_t nearest = std::min<size_t>(4, distances.size());
    std::vector<std::pair<int64_t, double>> parts;
    QStringList described;
    for (size_t i = 0; i < nearest; ++i) {
        const double weight = 1.0 / (distances[i].first + 1.0); // pixels; +1: a spot on a point is that point
        const int64_t checkpoint = window.document()->checkpointOf(MapSource::SaneEmbeddings, distances[i].second);
        parts.emplace_back(checkpoint, weight);
        described << QStringLiteral("%1:%2").arg(QString::fromStdString(zoo.checkpointValue(checkpoint, zoocol::ModelId)),
                                                 QString::fromStdString(zoo.checkpointValue(checkpoint, zoocol::Epoch)));
    }
    if (how)
        *how = QObject::tr("Decoding the mean latents of the %1 nearest checkpoints of the nearest one's dataset and "
                           "activation, weighted by closeness (%2): a map position alone does not determine SANE's "
                           "per-token latents")
                   .arg(nearest)
                   .arg(described.join(", "));
    return window.generation()->decodeBlend(parts, window.workspacePath(), error);
}

void addGenerateMenu(MainWindow &window)
{
    QObject::connect(window.mapView(), &MapView::contextMenuRequested, &window,
                     [&window](const QPoint &position) { showMapMenu(window, position); });
    QMenu *menu = window.menuBar()->addMenu(QObject::tr("&Generate"));
    QAction *sampleAction = menu->addAction(QObject::tr("&Sample Networks..."), &window, [&window] {
        if (window.document())
            openSampleWizard(window);
    });
    sampleAction->setStatusTip(QObject::tr("Sample new networks around the selected or matching checkpoints (SANE)"));
    sampleAction->setShortcut(QKeySequence(QObject::tr("Ctrl+G")));
    QAction *decode = menu->addAction(QObject::tr("&Decode Selected Checkpoint"), &window, [&window] {
        QString error;
        if (!decodeSelected(window, &error))
            QMessageBox::warning(&window, QObject::tr("Decode"), error);
    });
    decode->setShortcut(QKeySequence(QObject::tr("Ctrl+D")));
    QAction *path = menu->addAction(QObject::tr("Decode the &Path Between Two Selected Checkpoints"), &window, [&window] {
        QString error;
        warnIfFailed(window, decodeSelectedPath(window, 7, &error), error);
    });
    path->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+D")));
    menu->addAction(QObject::tr("(Right-click the SANE map to decode any spot of it)"))->setEnabled(false);
    QAction *exportAction = menu->addAction(QObject::tr("E&xport Generated Network..."), &window,
                                            [&window] { exportNetwork(window); });
    exportAction->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+E")));
}

} // namespace wse
