#pragma once
// Computes a map layout (PCA, t-SNE, UMAP) off the GUI thread: emits throttled intermediate
// layouts (to animate convergence), progress, and the finished projection with its quality;
// cancel() stops it at the next progress report.
#include "analysis/projection.h"

#include <QObject>

#include <memory>

namespace wse {

class BackgroundTask;

class ProjectionJob : public QObject
{
    Q_OBJECT

public:
    // `rows` x `dims` input, copied into the job.
    ProjectionJob(std::vector<float> rows, int64_t dims, ProjectionSettings settings, QObject *parent = nullptr);
    ~ProjectionJob() override; // cancels and waits

    void start();
    void cancel();
    bool isRunning() const;
    const ProjectionSettings &settings() const { return mSettings; }

Q_SIGNALS:
    void layoutChanged(const std::vector<float> &coordinates, int step, int steps);
    void progressed(int percent, const QString &stage);
    void finished(const wse::Projection &projection);
    void failed(const QString &message); // not emitted for a cancelled job
    void cancelled();

private:
    ProjectionSettings mSettings;
    std::shared_ptr<Projection> mResult;
    std::unique_ptr<BackgroundTask> mTask;
};

} // namespace wse
