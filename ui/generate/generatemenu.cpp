#include "generate/generatemenu.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"
#include "errordialog.h"
#include "formats/fileformat.h"
#include "generate/generationcontroller.h"
#include "icons.h"
#include "map/mapview.h"
#include "preferences/filedialogs.h"

#include <QActionGroup>
#include <QFileDialog>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace wse {


GenerateActions::GenerateActions(QMainWindow *window, ExplorerDocument &document, GenerationController &generation,
                                 MapView *map, std::function<QString()> workspacePath, std::function<void()> openSampleWizard)
    : QObject(window), mWindow(window), mDocument(document), mGeneration(generation), mMap(map),
      mWorkspacePath(std::move(workspacePath)), mOpenSampleWizard(std::move(openSampleWizard))
{
    connect(map, &MapView::contextMenuRequested, this, &GenerateActions::showMapMenu);
    addMenu();
}

bool GenerateActions::sampleAroundFilter(SampleOptions options, QString *error)
{
    if (!mDocument.zoo() || !mGeneration.sampleAround(mDocument.view().filter, options, mWorkspacePath(), error))
        return false;
    if (mDocument.zoo()->hasMap(MapSource::SaneEmbeddings))
        mDocument.setMapSource(MapSource::SaneEmbeddings); // where generated networks can be placed
    return true;
}

bool GenerateActions::decodeCurrent(QString *error)
{
    if (!mDocument.zoo())
        return false;
    if (mDocument.currentCheckpoint() < 0) {
        *error = tr("Click a checkpoint on the map first");
        return false;
    }
    return mGeneration.decodeCheckpoint(mDocument.currentCheckpoint(), mWorkspacePath(), error);
}

bool GenerateActions::decodeSelectedPath(int steps, QString *error)
{
    const std::vector<int64_t> &selected = mDocument.selection();
    if (!mDocument.zoo() || selected.size() != 2) {
        *error = tr("Select exactly two checkpoints (Shift+click them) to decode the path between them.");
        return false;
    }
    return mGeneration.decodePath(selected[0], selected[1], steps, mWorkspacePath(), error);
}

bool GenerateActions::decodeSpot(const QPoint &spot, QString *error, QString *how)
{
    if (!mDocument.zoo() || mDocument.view().map != MapSource::SaneEmbeddings) {
        *error = QObject::tr("Decoding a spot needs the SANE map (the latent space the decoder reads).");
        return false;
    }
    const std::vector<MapView::ProjectedPoint> points = mMap->projectedPoints();
    std::vector<std::pair<double, int>> distances;
    for (size_t i = 0; i < points.size(); ++i)
        if (!mMap->isHidden(int(i)))
            distances.emplace_back(std::hypot(points[i].position.x() - spot.x(), points[i].position.y() - spot.y()), int(i));
    if (distances.empty()) {
        *error = QObject::tr("No checkpoint is shown to decode from.");
        return false;
    }
    // A decoded network has one dataset and one activation: those of the nearest checkpoint.
    std::sort(distances.begin(), distances.end());
    const Zoo &zoo = mDocument.zoo()->zoo();
    const int64_t first = mDocument.checkpointOf(distances.front().second);
    distances.erase(std::remove_if(distances.begin(), distances.end(),
                                   [&](const std::pair<double, int> &candidate) {
                                       const int64_t c = mDocument.checkpointOf(candidate.second);
                                       return zoo.checkpointValue(c, "dataset") != zoo.checkpointValue(first, "dataset") ||
                                              zoo.checkpointValue(c, "activation") != zoo.checkpointValue(first, "activation");
                                   }),
                    distances.end());
    const size_t nearest = std::min<size_t>(4, distances.size());
    std::vector<std::pair<int64_t, double>> parts;
    QStringList described;
    for (size_t i = 0; i < nearest; ++i) {
        const double weight = 1.0 / (distances[i].first + 1.0); // pixels; +1: a spot on a point is that point
        const int64_t checkpoint = mDocument.checkpointOf(distances[i].second);
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
    return mGeneration.decodeBlend(parts, mWorkspacePath(), error);
}

void GenerateActions::addMenu()
{
    QMenu *menu = mWindow->menuBar()->addMenu(tr("&Generate"));
    QAction *sampleAction = menu->addAction(tr("&Sample Networks..."), this, [this] {
        if (mDocument.zoo())
            mOpenSampleWizard();
    });
    sampleAction->setStatusTip(tr("Sample new networks around the selected or matching checkpoints (SANE)"));
    sampleAction->setShortcut(QKeySequence(tr("Ctrl+G")));
    sampleAction->setObjectName("sampleAction");
    setActionIcon(sampleAction, "sample");
    QAction *decode = menu->addAction(tr("&Decode Selected Checkpoint"), this, [this] {
        QString error;
        warnIfFailed(decodeCurrent(&error), error);
    });
    decode->setShortcut(QKeySequence(tr("Ctrl+D")));
    decode->setObjectName("decodeAction");
    setActionIcon(decode, "decode");
    QAction *path = menu->addAction(tr("Decode the &Path Between Two Selected Checkpoints"), this, [this] {
        QString error;
        warnIfFailed(decodeSelectedPath(7, &error), error);
    });
    path->setShortcut(QKeySequence(tr("Ctrl+Shift+D")));
    menu->addAction(tr("(Right-click the SANE map to decode any spot of it)"))->setEnabled(false);
    QAction *exportAction = menu->addAction(tr("E&xport Generated Network..."), this, [this] { exportNetwork(); });
    exportAction->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    addColouringMenu(menu->addMenu(tr("&Colour Generated Networks By")));
}

// The generated networks' own colouring on the SANE map: their kind, or where they come from
// (provenance figures of their zoo files) or their accuracy.
void GenerateActions::addColouringMenu(QMenu *menu)
{
    menu->setObjectName("generatedColouringMenu");
    auto *group = new QActionGroup(menu);
    for (const auto &[column, text] : GenerationController::colouringChoices()) {
        QAction *action = menu->addAction(text);
        action->setCheckable(true);
        action->setChecked(column == mGeneration.colouring());
        action->setData(QString::fromStdString(column));
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, column = column] {
            mGeneration.setColouring(column);
            mWindow->statusBar()->showMessage(mGeneration.colouringLegend(), 15000);
        });
    }
}

void GenerateActions::showMapMenu(const QPoint &position)
{
    QMenu menu(mWindow);
    const bool saneMap = mDocument.zoo() && mDocument.view().map == MapSource::SaneEmbeddings;
    QAction *spot = menu.addAction(tr("Decode This Spot"), this, [this, position] {
        QString error, how;
        const bool started = decodeSpot(position, &error, &how);
        if (started)
            mWindow->statusBar()->showMessage(how, 15000);
        warnIfFailed(started, error);
    });
    spot->setEnabled(saneMap);
    QAction *path = menu.addAction(tr("Decode the Path Between the Two Selected"), this, [this] {
        QString error;
        warnIfFailed(decodeSelectedPath(7, &error), error);
    });
    path->setEnabled(mDocument.selection().size() == 2);
    const int point = mMap->pointAt(position);
    QAction *decode = menu.addAction(tr("Decode This Checkpoint"), this, [this, point] {
        mDocument.setCurrentPoint(point);
        QString error;
        warnIfFailed(decodeCurrent(&error), error);
    });
    decode->setEnabled(point >= 0);
    menu.addSeparator();
    menu.addAction(tr("Sample Networks..."), this, [this] { mOpenSampleWizard(); })->setEnabled(mDocument.zoo());
    menu.addAction(tr("Select None"), this, [this] { mDocument.select({}, tr("Select None")); });
    menu.exec(mMap->mapToGlobal(position));
}

void GenerateActions::exportNetwork()
{
    const QStringList labels = mGeneration.networkLabels();
    if (labels.isEmpty()) {
        QMessageBox::information(mWindow, tr("Export Network"), tr("Sample or decode networks first (Generate menu)."));
        return;
    }
    bool ok = false;
    const QString label = QInputDialog::getItem(mWindow, tr("Export Network"), tr("Network:"), labels, 0, false, &ok);
    if (!ok)
        return;
    const QString id = label.section(QStringLiteral(" · "), 0, 0);
    const QString path = chooseFileToSave(mWindow, tr("Export Network"), FileKind::Checkpoint, id + ".pt");
    if (path.isEmpty())
        return;
    try {
        mGeneration.exportNetwork(id, path);
        mWindow->statusBar()->showMessage(tr("Wrote %1 and %1.json").arg(path), 8000);
    } catch (const std::exception &error) {
        showError(mWindow, tr("Exporting Network"), QString::fromStdString(error.what()));
    }
}

void GenerateActions::warnIfFailed(bool started, const QString &error)
{
    if (!started)
        QMessageBox::warning(mWindow, tr("Decode"), error);
}

} // namespace wse
