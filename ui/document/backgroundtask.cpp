#include "document/backgroundtask.h"

#include "common/error.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrent>

namespace wse {

BackgroundTask::BackgroundTask(std::function<void(ProgressReporter &)> work, QObject *parent)
    : QObject(parent), mWork(std::move(work)), mShared(std::make_shared<Shared>())
{
    connect(&mWatcher, &QFutureWatcher<void>::finished, this, [this] {
        if (mShared->cancelled)
            Q_EMIT cancelled();
        else if (!mShared->error.isEmpty())
            Q_EMIT failed(mShared->error);
        else
            Q_EMIT finished();
    });
}

BackgroundTask::~BackgroundTask()
{
    cancel();
    mWatcher.waitForFinished();
}

void BackgroundTask::start()
{
    QPointer<BackgroundTask> self(this);
    std::shared_ptr<Shared> shared = mShared;
    std::function<void(ProgressReporter &)> work = mWork;
    mWatcher.setFuture(QtConcurrent::run([self, shared, work] {
        ProgressReporter progress([self, shared](const ProgressInfo &info) {
            const int percent = int(info.fraction * 100.0);
            const QString stage = QString::fromStdString(info.stage + (info.detail.empty() ? "" : ": " + info.detail));
            QMetaObject::invokeMethod(self.data(), [self, percent, stage] {
                if (self)
                    Q_EMIT self->progressed(percent, stage);
            }, Qt::QueuedConnection);
            return !shared->cancel.load();
        });
        try {
            work(progress);
        } catch (const Cancelled &) {
            shared->cancelled = true;
        } catch (const std::exception &error) {
            shared->error = QString::fromStdString(error.what());
        }
    }));
}

void BackgroundTask::cancel()
{
    mShared->cancel = true;
}

} // namespace wse
