#include "document/projectionjob.h"

#include "document/backgroundtask.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>

namespace wse {

ProjectionJob::ProjectionJob(std::vector<float> rows, int64_t dims, ProjectionSettings settings, QObject *parent)
    : LayoutJob(parent), mSettings(std::move(settings)), mResult(std::make_shared<Projection>())
{
    QPointer<ProjectionJob> self(this);
    auto input = std::make_shared<std::vector<float>>(std::move(rows));
    mTask = std::make_unique<BackgroundTask>([self, input, dims, settings = mSettings, result = mResult](ProgressReporter &progress) {
        QElapsedTimer sinceFrame;
        sinceFrame.start();
        // Frames reach the GUI thread queued, at most ~8 per second (and always the last one).
        auto layout = [self, &sinceFrame](const std::vector<float> &coordinates, int step, int steps) {
            if (sinceFrame.elapsed() < 120 && step < steps)
                return;
            sinceFrame.restart();
            QMetaObject::invokeMethod(self.data(), [self, coordinates, step, steps] {
                if (self)
                    Q_EMIT self->layoutChanged(coordinates, step, steps);
            }, Qt::QueuedConnection);
        };
        *result = computeProjection(input->data(), int64_t(input->size()) / dims, dims, settings, &progress, layout);
    });
    connect(mTask.get(), &BackgroundTask::progressed, this, &ProjectionJob::progressed);
    connect(mTask.get(), &BackgroundTask::finished, this, [this] { Q_EMIT finished(*mResult); });
    connect(mTask.get(), &BackgroundTask::failed, this, &ProjectionJob::failed);
    connect(mTask.get(), &BackgroundTask::cancelled, this, &ProjectionJob::cancelled);
}

ProjectionJob::~ProjectionJob() = default; // the task cancels and waits

void ProjectionJob::start()
{
    mTask->start();
}

void ProjectionJob::cancel()
{
    mTask->cancel();
}

bool ProjectionJob::isRunning() const
{
    return mTask->isRunning();
}

} // namespace wse
