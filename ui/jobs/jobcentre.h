#pragma once
// The job centre dock: every training job started from the explorer, running or finished, with
// progress, ETA, device, Cancel / Resume / Open, and the exact `wse` command that reproduces it —
// which is what runs: each job is that command in a child process (jobs/processtask.h), so a job
// that crashes or runs out of memory leaves the explorer and its session as they were.
// Jobs still unfinished when the explorer closes are offered for resume at the next start.
#include "sane/sampler.h"
#include "sane/saneconfig.h"
#include "training/zootrainoptions.h"
#include "jobs/jobentry.h"

#include <QDockWidget>
#include <QString>

#include <vector>

class QVBoxLayout;

namespace wse {

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
    // WeightWatcher's spectral metrics of every checkpoint, written into the zoo as columns.
    JobEntry *startSpectralMetrics(const QString &zooPath, const Runner &runner = defaultRunner());
    const std::vector<JobEntry *> &jobs() const { return mJobs; }
    // Before the explorer quits: with jobs running, asks whether to stop them (they stay resumable:
    // offered at the next start). True when nothing runs or the user agreed.
    bool mayStopRunningJobs();

Q_SIGNALS:
    void zooReady(const QString &path); // a zoo job finished: the explorer opens it
    // A sampling job finished: the explorer shows the networks on the map. `report`: SampleReport's text.
    void samplesReady(const SampleOptions &options, const QString &report);
    void embeddingsReady(const QString &zooPath, const QString &embeddingsPath); // the explorer shows the SANE map
    void metricsReady(const QString &zooPath); // the zoo has new columns: the explorer reopens it

private:
    JobEntry *addEntry(const JobSpec &spec);
    JobEntry *start(JobSpec spec, const Runner &runner);
    void remember();

    QVBoxLayout *mList = nullptr;
    std::vector<JobEntry *> mJobs;
};

} // namespace wse
