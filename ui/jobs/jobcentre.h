#pragma once
// The job centre dock: every training job started from the explorer, running or finished, with
// progress, ETA, device, Cancel / Resume / Open, and the exact `wse` command that reproduces it —
// which is what runs: each job is that command in a child process (jobs/processtask.h), so a job
// that crashes or runs out of memory leaves the explorer and its session as they were.
// Jobs still unfinished when the explorer closes are offered for resume at the next start.
#include "sane/sampler.h"
#include "sane/saneconfig.h"
#include "training/zootrainoptions.h"
#include "jobs/runner.h"

#include <QDockWidget>
#include <QString>

#include <memory>
#include <string>
#include <vector>

class QChartView;
class QLabel;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace wse {

class ProcessTask;
class JobEntry;

// What a job runs: a zoo training (config = the zoo options' JSON), a SANE training (config = the
// encoder configuration's JSON, on `zoo`), sampling networks (config = the sampling options'
// JSON), embedding `zoo` (config = the encoder .pt) or importing an official zoo folder (config =
// the folder). Everything `wse` needs to run it again.
struct JobSpec
{
    enum class Kind { Zoo, Sane, Sample, Embed, Import };
    Kind kind = Kind::Zoo;
    QString config, output, zoo, device = "auto", precision = "fp32";
    Runner runner; // where its wse runs (jobs/runner.h)

    QString command() const;     // as a user types it in a shell
    QStringList arguments() const; // of the `wse` the explorer runs (document/childprocesscheck.h)
    QString toText() const; // for the list of unfinished jobs in the settings
    static JobSpec fromText(const QString &text); // kind Zoo with an empty config when unreadable
};

class JobCentre : public QDockWidget
{
    Q_OBJECT

public:
    explicit JobCentre(QWidget *parent = nullptr);
    ~JobCentre() override;

    // Writes the options next to the output (OUTPUT.config.json: the command's --config) and trains
    // the zoo in the background. Re-running a cancelled or interrupted job resumes it.
    // Each runs on `runner` (by default where the Jobs dock says).
    JobEntry *startZooTraining(const ZooTrainOptions &options, const QString &outputPath, const Runner &runner = defaultRunner());
    // Writes the configuration next to the run folder (RUN_DIR.config.json) and trains the encoder.
    JobEntry *startSaneTraining(const QString &zooPath, const SaneConfig &config, const QString &device,
                                const QString &precision, const QString &runDir, const Runner &runner = defaultRunner());
    // Writes the options next to their output (OUTPUT.config.json) and samples networks.
    JobEntry *startSampling(const SampleOptions &options, const Runner &runner = defaultRunner());
    // Embeds every checkpoint of the zoo with the encoder into `outputPath` (embeddings .h5).
    JobEntry *startEmbedding(const QString &encoderPath, const QString &zooPath, const QString &device,
                             const QString &precision, const QString &outputPath, const Runner &runner = defaultRunner());
    // Imports an official Model Zoos folder into a zoo file; the skipped models are reported.
    JobEntry *startImport(const QString &folder, const QString &outputPath, const Runner &runner = defaultRunner());
    const std::vector<JobEntry *> &jobs() const { return mJobs; }
    // Before the explorer quits: with jobs running, asks whether to stop them (they stay resumable:
    // offered at the next start). True when nothing runs or the user agreed.
    bool mayStopRunningJobs();

Q_SIGNALS:
    void zooReady(const QString &path); // a zoo job finished: the explorer opens it
    // A SANE job finished: the explorer opens the zoo with the encoder (embeds it, SANE map).
    void encoderReady(const QString &zooPath, const QString &encoderPath);
    // A sampling job finished: the explorer shows the networks on the map. `report`: SampleReport's text.
    void samplesReady(const SampleOptions &options, const QString &report);
    void embeddingsReady(const QString &zooPath, const QString &embeddingsPath); // the explorer shows the SANE map

private:
    JobEntry *addEntry(const JobSpec &spec);
    JobEntry *start(JobSpec spec, const Runner &runner);
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

    JobSpec mSpec;
    State mState = State::Waiting;
    ProcessTask *mTask = nullptr; // the job's `wse` child process
    QProgressBar *mBar = nullptr;
    QLabel *mStatus = nullptr;
    QPushButton *mCancel = nullptr, *mResume = nullptr, *mOpen = nullptr;
    QChartView *mCurves = nullptr;
    QString mResult;
};

} // namespace wse
