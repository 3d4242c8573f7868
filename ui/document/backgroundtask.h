#pragma once
// Runs one long core job off the GUI thread with progress and cancellation: the job gets a
// ProgressReporter whose reports reach the GUI as progressed(); cancel() makes its next report
// throw Cancelled.
#include "jobs/progress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace wse {

class BackgroundTask : public QObject
{
    Q_OBJECT

public:
    explicit BackgroundTask(std::function<void(ProgressReporter &)> work, QObject *parent = nullptr);
    ~BackgroundTask() override; // cancels and waits

    void start();
    void cancel();
    bool isRunning() const { return mWatcher.isRunning(); }

Q_SIGNALS:
    void progressed(int percent, const QString &stage);
    void finished();
    void failed(const QString &message);
    void cancelled();

private:
    struct Shared
    {
        std::atomic<bool> cancel{false};
        QString error;
        bool cancelled = false;
    };
    std::function<void(ProgressReporter &)> mWork;
    std::shared_ptr<Shared> mShared;
    QFutureWatcher<void> mWatcher;
};

} // namespace wse
