#pragma once
// The explorer's Generate menu and the map's context menu: sample networks (the wizard), decode
// the current checkpoint, the path between two selected ones or a spot of the map, export a
// generated network as a PyTorch checkpoint. They act on the explorer's document and its
// GenerationController, not on the window.
#include "sane/sampler.h"

#include <QObject>
#include <QPoint>
#include <QString>

#include <functional>

class QMainWindow;
class QMenu;

namespace wse {

class ExplorerDocument;
class GenerationController;
class MapView;

class GenerateActions : public QObject
{
    Q_OBJECT

public:
    // `workspacePath`: where generated networks are written beside (else the zoo).
    GenerateActions(QMainWindow *window, ExplorerDocument &document, GenerationController &generation, MapView *map,
                    std::function<QString()> workspacePath, std::function<void()> openSampleWizard);

    // Samples networks around the checkpoints matching the document's filter with the SANE
    // encoder, in the background, and shows them on the SANE map. False (with the reason) when no
    // encoder is available. (The Sample wizard runs it as a job instead.)
    bool sampleAroundFilter(SampleOptions options, QString *error);
    // Decodes the current checkpoint (its reconstruction through the encoder), evaluates it and
    // shows it on the SANE map; false with the reason without an encoder or a current checkpoint.
    bool decodeCurrent(QString *error);
    // Networks along the latent path between the two selected checkpoints; false with the reason.
    bool decodeSelectedPath(int steps, QString *error);
    // One network for a spot of the SANE map (widget coordinates): a map position does not fix the
    // per-token latents SANE decodes, so they are the mean of the nearest checkpoints' latents,
    // weighted by closeness on the screen. `how` says which checkpoints and weights.
    bool decodeSpot(const QPoint &spot, QString *error, QString *how = nullptr);

private:
    void addMenu();
    void addColouringMenu(QMenu *menu);
    void showMapMenu(const QPoint &position);
    void exportNetwork();
    void warnIfFailed(bool started, const QString &error);

    QMainWindow *mWindow;
    ExplorerDocument &mDocument;
    GenerationController &mGeneration;
    MapView *mMap;
    std::function<QString()> mWorkspacePath;
    std::function<void()> mOpenSampleWizard;
};

} // namespace wse
