#pragma once
// One job's row in the Jobs dock: title, progress bar, state, Cancel / Resume / Open, live loss
// curves of a SANE training, and the command; it runs the job's `wse` as a child process.
#include "jobs/jobspec.h"

#include <QElapsedTimer>
#include <QWidget>

class QChartView;
class QLabel;
class QProgressBar;
class QPushButton;

namespace wse {

class ProcessTask;
class RemoteStaging;

// One job's row: title, progress bar, state, buttons, the command.
class JobEntry : public QWidget
{
    Q_OBJECT

public:
    enum class State { Waiting, Running, Finished, Failed, Cancelled, Interrupted };
    explicit JobEntry(const JobSpec &spec, QWidget *parent = nullptr);
    ~JobEntry() override;

    void start();  // also resumes
    void cancel();
    void markInterrupted(); // left unfinished by an earlier session: waits for Resume
    State state() const { return mState; }
    const JobSpec &spec() const { return mSpec; }
    QString command() const { return mSpec.command(); }
    QString outputPath() const { return mSpec.output; }
    QString statusText() const;
    int percent() const;
    QString resultText() const { return mResult; } // a finished sampling job: its report

Q_SIGNALS:
    void stateChanged();
    void finished(); // the result is complete

private:
    void setState(State state, const QString &text = {});
    void showLossCurves(); // SANE jobs: the run's log.json
    QString resultOf(const ProcessTask &task) const;
    void runTask(const JobSpec &spec);
    void showProgress(int percent, const QString &stage);
    void complete(); // the output is in place
    void cancelSlurmJob();

    JobSpec mSpec;
    State mState = State::Waiting;
    ProcessTask *mTask = nullptr; // the job's `wse` child process
    RemoteStaging *mStaging = nullptr; // on an SSH host: its files there
    QElapsedTimer mCurvesShown;
    QProgressBar *mBar = nullptr;
    QLabel *mStatus = nullptr;
    QPushButton *mCancel = nullptr, *mResume = nullptr, *mOpen = nullptr;
    QChartView *mCurves = nullptr;
    QString mResult;
};

} // namespace wse
