#pragma once
// Which layout of a map the view shows (PCA, t-SNE, UMAP) and its quality: layouts are computed
// off the GUI thread, animate in the view while they converge, can be cancelled, and are kept
// per map source so switching back is instant.
#include "analysis/projection.h"
#include "analysis/weightmap.h"

#include <QObject>
#include <QWidget>
#include <QString>

#include <map>
#include <memory>

namespace wse {

class MapView;
class ProjectionJob;

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
    // A finished layout, or null.
    const Projection *layout(MapSource source, ProjectionMethod method) const
    {
        const auto it = mDone.find({int(source), int(method)});
        return it == mDone.end() ? nullptr : &it->second;
    }
    bool has(MapSource source, ProjectionMethod method) const { return mDone.count({int(source), int(method)}) > 0; }
    // Every finished layout, for saving.
    std::vector<std::pair<MapSource, Projection>> finishedLayouts() const;
    bool isRunning() const;
    void cancel();
    // The parameters each method runs with (seed, perplexity, n_neighbors, ...). Setting them
    // forgets that method's layouts and recomputes the shown one when it is of that method.
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
    std::map<std::pair<int, int>, Projection> mDone;
    std::map<int, ProjectionSettings> mSettings; // by method; absent: the defaults
    std::unique_ptr<ProjectionJob> mJob;
    QString mQualityText;
    bool mRunning = false; // until the job's result has been handled
};

} // namespace wse
