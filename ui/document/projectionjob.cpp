#include "document/projectionjob.h"

#include "common/error.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrent>

#include <mutex>

namespace wse {

// What the worker thread and the job share: the input, the cancel flag and the result.
struct ProjectionJob::Shared
{
    std::vector<float> rows;
    int64_t dims = 0;
    std::atomic<bool> cancel{false};
    std::mutex mutex;
    Projection result;
    QString error;
    bool cancelled = false;
};

ProjectionJob::ProjectionJob(std::vector<float> rows, int64_t dims, ProjectionSettings settings, QObject *parent)
    : QObject(parent), mShared(std::make_shared<Shared>()), mSettings(std::move(settings))
{
    mShared->rows = std::move(rows);
    mShared->dims = dims;
    connect(&mWatcher, &QFutureWatcher<void>::finished, this, [this] {
        std::lock_guard<std::mutex> lock(mShared->mutex);
        if (mShared->cancelled)
            Q_EMIT cancelled();
        else if (!mShared->error.isEmpty())
            Q_EMIT failed(mShared->error);
        else
            Q_EMIT finished(mShared->result);
    });
}

ProjectionJob::~ProjectionJob()
{
    cancel();
    mWatcher.waitForFinished();
}

void ProjectionJob::start()
{
    QPointer<ProjectionJob> self(this);
    std::shared_ptr<Shared> shared = mShared;
    const ProjectionSettings settings = mSettings;
    mWatcher.setFuture(QtConcurrent::run([self, shared, settings] {
        QElapsedTimer sinceFrame;
        sinceFrame.start();
        // Progress and layouts reach the GUI thread queued; frames at most ~8 per second.
        ProgressReporter progress([self, shared](const ProgressInfo &info) {
            const int percent = int(info.fraction * 100.0);
            const QString stage = QString::fromStdString(info.stage + (info.detail.empty() ? "" : ": " + info.detail));
            QMetaObject::invokeMethod(self.data(), [self, percent, stage] {
                if (self)
                    Q_EMIT self->progressed(percent, stage);
            }, Qt::QueuedConnection);
            return !shared->cancel.load();
        });
        auto layout = [self, &sinceFrame](const std::vector<float> &coordinates, int step, int steps) {
            if (sinceFrame.elapsed() < 120 && step < steps)
                return;
            sinceFrame.restart();
            QMetaObject::invokeMethod(self.data(), [self, coordinates, step, steps] {
                if (self)
                    Q_EMIT self->layoutChanged(coordinates, step, steps);
            }, Qt::QueuedConnection);
        };
        try {
            Projection result = computeProjection(shared->rows.data(), int64_t(shared->rows.size()) / shared->dims, shared->dims,
                                                  settings, &progress, layout);
            std::lock_guard<std::mutex> lock(shared->mutex);
            shared->result = std::move(result);
        } catch (const Cancelled &) {
            std::lock_guard<std::mutex> lock(shared->mutex);
            shared->cancelled = true;
        } catch (const std::exception &error) {
            std::lock_guard<std::mutex> lock(shared->mutex);
            shared->error = QString::fromStdString(error.what());
        }
    }));
}

void ProjectionJob::cancel()
{
    mShared->cancel = true;
}

bool ProjectionJob::isRunning() const
{
    return mWatcher.isRunning();
}

} // namespace wse
