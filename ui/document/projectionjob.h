#pragma once
// Computes a map layout (PCA, t-SNE, UMAP) off the GUI thread: emits throttled intermediate
// layouts (to animate convergence), progress, and the finished projection with its quality;
// cancel() stops it at the next progress report. (Large maps: document/childprojectionjob.h.)
#include "analysis/projection.h"

#include <QObject>

#include <memory>

namespace wse {

class BackgroundTask;

// What the map's layout controller drives: a layout computed here or in a child process.
class LayoutJob : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    virtual void start() = 0;
    virtual void cancel() = 0;
    virtual bool isRunning() const = 0;

Q_SIGNALS:
    void layoutChanged(const std::vector<float> &coordinates, int step, int steps);
    void progressed(int percent, const QString &stage);
    void finished(const wse::Projection &projection);
    void failed(const QString &message); // not emitted for a cancelled job
    void cancelled();
};

class ProjectionJob : public LayoutJob
{
    Q_OBJECT

public:
    // `rows` x `dims` input, copied into the job.
    ProjectionJob(std::vector<float> rows, int64_t dims, ProjectionSettings settings, QObject *parent = nullptr);
    ~ProjectionJob() override; // cancels and waits

    void start() override;
    void cancel() override;
    bool isRunning() const override;

private:
    ProjectionSettings mSettings;
    std::shared_ptr<Projection> mResult;
    std::unique_ptr<BackgroundTask> mTask;
};

} // namespace wse
