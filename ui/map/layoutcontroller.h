#pragma once
// Which layout of a map the view shows (PCA, t-SNE, UMAP) and its quality: layouts are computed
// off the GUI thread, animate in the view while they converge, can be cancelled, and are kept
// per map source and parameters, so switching back (also to other parameters) is instant. Those of
// large maps run in a `wse project` child process (document/childprojectionjob.h).
#include "analysis/projection.h"
#include "analysis/weightmap.h"

#include <QObject>
#include <QWidget>
#include <QString>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wse {

class MapView;
class LayoutJob;

// Before a layout that takes over a minute on this machine (every point is mapped, never a
// subset): asks whether to compute it. True when it is quick or the user says yes.
bool confirmLayoutCost(QWidget *parent, const ProjectionSettings &settings, int64_t points);
class ZooDocument;

class LayoutController : public QObject
{
    Q_OBJECT

public:
    explicit LayoutController(MapView *view, QObject *parent = nullptr);
    ~LayoutController() override;

    void setDocument(std::shared_ptr<const ZooDocument> document); // forgets all layouts
    // The view already shows the PCA of `source`; replaces it by the chosen layout (computing it
    // when needed) and measures the quality of whatever is shown.
    void show(MapSource source, ProjectionMethod method);
    ProjectionMethod method() const { return mMethod; }
    // A layout computed before (e.g. saved in a workspace): shown without recomputing.
    void preload(MapSource source, const Projection &projection);
    // The finished layout of a method with its current parameters, or null.
    const Projection *layout(MapSource source, ProjectionMethod method) const;
    bool has(MapSource source, ProjectionMethod method) const { return layout(source, method) != nullptr; }
    // Every finished layout, for saving; those of one source (every method and parameters).
    std::vector<std::pair<MapSource, Projection>> finishedLayouts() const;
    std::vector<Projection> finishedLayouts(MapSource source) const;
    bool isRunning() const;
    void cancel();
    // The parameters each method runs with (seed, perplexity, n_neighbors, ...). Setting them
    // shows that method's layout with them when it is the shown method: kept from before, or
    // computed (the layouts with other parameters are kept too).
    ProjectionSettings settings(ProjectionMethod method) const;
    void setSettings(const ProjectionSettings &settings);
    // "trustworthiness 0.981 · continuity 0.975 (k = 10)", "measuring ...", or the error.
    QString qualityText() const { return mQualityText; }

Q_SIGNALS:
    void progressed(int percent, const QString &stage);
    void runningChanged(bool running);
    void qualityChanged(const QString &text);
    void layoutReady(); // the chosen layout is shown with its quality

private:
    void startJob();
    void setQualityText(const QString &text);
    void setRunning(bool running);

    MapView *mView;
    std::shared_ptr<const ZooDocument> mDocument;
    MapSource mSource = MapSource::Weights;
    ProjectionMethod mMethod = ProjectionMethod::Pca;
    using Key = std::pair<int, std::string>; // map source, settings as JSON
    std::map<Key, Projection> mDone;
    std::map<int, ProjectionSettings> mSettings; // by method; absent: the defaults
    std::unique_ptr<LayoutJob> mJob;
    QString mQualityText;
    bool mRunning = false; // until the job's result has been handled
};

} // namespace wse
