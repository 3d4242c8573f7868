#pragma once
// Networks generated from the map: sampled around the checkpoints that match the filter, or
// decoded from a checkpoint (SANE, in the background with progress and Cancel), embedded, placed
// into the shown SANE map as dark squares, and exported as a .pt with a provenance sidecar.
#include "analysis/projection.h"
#include "analysis/weightmap.h"
#include "map/colouring.h"
#include "sane/embeddings.h"
#include "sane/decoder.h"
#include "sane/sampler.h"
#include "workspace/workspace.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace wse {

class BackgroundTask;
class ProcessTask;
class LayoutController;
class MapView;
class ZooDocument;

struct GeneratedNetworks
{
    std::string kind = "sampled"; // "decoded", or "dropped" (.pt files placed on the map; no zoo file)
    SampleOptions options;   // encoder, zoo, output (the zoo file of the networks); sampling settings
    std::string from, to;    // decoded: the checkpoint(s) MODEL:EPOCH
    QString report;          // SampleReport / DecodeReport text
    Embeddings embeddings;   // one row per network (model_id = its id in the output zoo)
};

// How the map marks a generated network of this kind: sampled near-black, decoded dark crimson,
// dropped files dark navy (all apart from the palettes of the colourings).
Rgb generatedColour(const std::string &kind);

class GenerationController : public QObject
{
    Q_OBJECT

public:
    GenerationController(MapView *view, LayoutController *layouts, QObject *parent = nullptr);
    ~GenerationController() override;

    void setDocument(std::shared_ptr<const ZooDocument> document); // forgets generated networks
    // Runs `wse sample` (or `wse decode`) in a child process and embeds the result; emits generated or failed.
    void sample(const SampleOptions &options);
    void decode(const DecodeOptions &options);
    // The same with the document's encoder and zoo, anchors from a filter expression (empty: all)
    // or one zoo checkpoint, written next to `workspace` (or the zoo) as <name>-<kind>-<n>.h5.
    // False, with the reason, when the document has no SANE encoder file.
    bool sampleAround(const QString &filter, SampleOptions options, const QString &workspace, QString *error);
    bool decodeCheckpoint(int64_t checkpoint, const QString &workspace, QString *error);
    // Networks along the latent path between two checkpoints (endpoints included).
    bool decodePath(int64_t from, int64_t to, int steps, const QString &workspace, QString *error);
    // One network from the weighted mean of checkpoints' per-token latents (a spot between them).
    bool decodeBlend(const std::vector<std::pair<int64_t, double>> &parts, const QString &workspace, QString *error);
    // Checkpoint files (.pt) embedded with the document's encoder and placed on the SANE map.
    bool placeCheckpointFiles(const QStringList &files, QString *error);
    // Networks sampled elsewhere (a sampling job): embeds options.output and places them.
    void adoptSamples(const SampleOptions &options, const QString &report);
    // A file beside `workspace` (or the zoo) for generated networks: <name>-<kind>-<n>.h5, never
    // an existing one.
    QString freeOutputPath(const QString &workspace, const QString &kind) const;
    bool isRunning() const;
    void cancel();

    const std::vector<GeneratedNetworks> &generatedSets() const { return mSets; }
    // For the workspace: each set with its provenance, evaluations and latent vectors; and back
    // (sets whose samples zoo file is gone are skipped).
    std::vector<WorkspaceGenerated> toWorkspace() const;
    void restore(const std::vector<WorkspaceGenerated> &generated);
    // Places every generated network into the shown map (only SANE maps share their latent
    // space); other maps clear the overlay.
    void place(MapSource source, ProjectionMethod method);
    // What the generated networks on the map are coloured by: "" (their kind) or a column of their
    // zoo files (the provenance figures, test_acc); choices() lists them with their menu text.
    void setColouring(const std::string &column);
    const std::string &colouring() const { return mColouring; }
    static std::vector<std::pair<std::string, QString>> colouringChoices();
    // How to read the current colouring ("" for the kind).
    QString colouringLegend() const;
    // "sample-0003 · test_acc 0.231 · kept", one per generated network.
    QStringList networkLabels() const;
    // Writes a generated network (by model id; the most recent set that has it) as a PyTorch
    // checkpoint and `path`.json with its provenance (zoo, encoder, anchors or source checkpoint,
    // seed, bandwidth, evaluation). Throws wse::Error.
    void exportNetwork(const QString &modelId, const QString &path) const;

Q_SIGNALS:
    void progressed(int percent, const QString &stage);
    void runningChanged(bool running);
    void generated(const QString &report);
    void failed(const QString &message);

private:
    QString encoder(QString *error) const;
    bool startDecode(DecodeOptions options, const QString &workspace, QString *error);
    std::string checkpointName(int64_t checkpoint) const; // MODEL:EPOCH
    void runChild(std::shared_ptr<GeneratedNetworks> pending, const QStringList &arguments);
    static QStringList decodeArguments(const DecodeOptions &options);
    void embedAndPlace(std::shared_ptr<GeneratedNetworks> pending);
    void stopWith(const QString &message); // a failure or a cancel: nothing joins the map
    void startTask(std::shared_ptr<GeneratedNetworks> pending); // mTask, reporting; the set joins when it ends

    MapView *mView;
    LayoutController *mLayouts;
    std::shared_ptr<const ZooDocument> mDocument;
    std::vector<GeneratedNetworks> mSets;
    std::unique_ptr<BackgroundTask> mTask;  // embedding what was made, in this process
    std::unique_ptr<ProcessTask> mChild;    // making networks: `wse sample` or `wse decode`
    std::vector<Rgb> overlayColours(const GeneratedNetworks &set) const; // one per embedded network
    std::string mColouring;
    MapSource mSource = MapSource::Weights;
    ProjectionMethod mMethod = ProjectionMethod::Pca;
};

} // namespace wse
