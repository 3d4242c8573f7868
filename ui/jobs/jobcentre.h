#pragma once
// The job centre dock: every training job started from the explorer, running or finished, with
// progress, ETA, device, Cancel / Resume / Open, and the exact `wse` command that reproduces it.
// Jobs still unfinished when the explorer closes are offered for resume at the next start.
#include "training/zootrainoptions.h"

#include <QDockWidget>
#include <QString>

#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace wse {

class BackgroundTask;
class JobEntry;

class JobCentre : public QDockWidget
{
    Q_OBJECT

public:
    explicit JobCentre(QWidget *parent = nullptr);
    ~JobCentre() override;

    // Writes the options next to the output (OUTPUT.config.json: the command's --config) and trains
    // the zoo in the background. Re-running a cancelled or interrupted job resumes it.
    JobEntry *startZooTraining(const ZooTrainOptions &options, const QString &outputPath);
    const std::vector<JobEntry *> &jobs() const { return mJobs; }

Q_SIGNALS:
    void zooReady(const QString &path); // a zoo job finished: the explorer opens it

private:
    JobEntry *addEntry(const QString &configPath, const QString &outputPath);
    void remember();

    QVBoxLayout *mList = nullptr;
    std::vector<JobEntry *> mJobs;
};

// One job's row: title, progress bar, state, buttons, the command.
class JobEntry : public QWidget
{
    Q_OBJECT

public:
    enum class State { Waiting, Running, Finished, Failed, Cancelled, Interrupted };
    JobEntry(const QString &configPath, const QString &outputPath, QWidget *parent = nullptr);
    ~JobEntry() override;

    void start();  // also resumes
    void cancel();
    void markInterrupted(); // left unfinished by an earlier session: waits for Resume
    State state() const { return mState; }
    QString configPath() const { return mConfig; }
    QString command() const;
    QString outputPath() const { return mOutput; }
    QString statusText() const;
    int percent() const;

Q_SIGNALS:
    void stateChanged();
    void openRequested(const QString &path);

private:
    void setState(State state, const QString &text = {});

    QString mConfig, mOutput;
    State mState = State::Waiting;
    BackgroundTask *mTask = nullptr;
    QProgressBar *mBar = nullptr;
    QLabel *mStatus = nullptr;
    QPushButton *mCancel = nullptr, *mResume = nullptr, *mOpen = nullptr;
};

} // namespace wse
