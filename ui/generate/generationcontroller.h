#pragma once
// Networks generated from the map: sampling around the checkpoints that match the filter (SANE,
// in the background with progress and Cancel), embedding the samples, placing them into the
// shown SANE map as dark points, and exporting any of them as a .pt with a provenance sidecar.
#include "analysis/projection.h"
#include "analysis/weightmap.h"
#include "sane/embeddings.h"
#include "sane/sampler.h"
#include "workspace/workspace.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace wse {

class BackgroundTask;
class LayoutController;
class MapView;
class ZooDocument;

struct SampledNetworks
{
    SampleOptions options;   // output: the zoo file the samples were written to
    QString report;          // SampleReport::toText()
    Embeddings embeddings;   // one row per sample (model_id = sample id)
};

class GenerationController : public QObject
{
    Q_OBJECT

public:
    GenerationController(MapView *view, LayoutController *layouts, QObject *parent = nullptr);
    ~GenerationController() override;

    void setDocument(std::shared_ptr<const ZooDocument> document); // forgets generated networks
    // Runs sampleModels and embeds the samples; emits sampled or failed.
    void sample(const SampleOptions &options);
    bool isRunning() const;
    void cancel();

    const std::vector<SampledNetworks> &sampledSets() const { return mSets; }
    // For the workspace: each set with its provenance, evaluations and latent vectors; and back
    // (sets whose samples zoo file is gone are skipped).
    std::vector<WorkspaceGenerated> toWorkspace() const;
    void restore(const std::vector<WorkspaceGenerated> &generated);
    // Places every generated network into the shown map (only SANE maps share their latent
    // space); other maps clear the overlay.
    void place(MapSource source, ProjectionMethod method);
    // "sample-0003 · test_acc 0.231 · kept", one per generated network.
    QStringList networkLabels() const;
    // Writes a generated network (by model id) as a PyTorch checkpoint and `path`.json with its
    // provenance (zoo, encoder, anchors, seed, bandwidth, evaluation). Throws wse::Error.
    void exportNetwork(const QString &modelId, const QString &path) const;

Q_SIGNALS:
    void progressed(int percent, const QString &stage);
    void runningChanged(bool running);
    void sampled(const QString &report);
    void failed(const QString &message);

private:
    MapView *mView;
    LayoutController *mLayouts;
    std::shared_ptr<const ZooDocument> mDocument;
    std::vector<SampledNetworks> mSets;
    std::unique_ptr<BackgroundTask> mTask;
    std::shared_ptr<SampledNetworks> mPending;
    MapSource mSource = MapSource::Weights;
    ProjectionMethod mMethod = ProjectionMethod::Pca;
};

} // namespace wse
