#include "jobs/jobcentre.h"

#include "common/error.h"
#include "common/textfile.h"
#include "jobs/runnerchoice.h"
#include "preferences/setting.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QRegularExpression>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace wse {

namespace {
// JobSpec::toText() of jobs not finished yet: session state, resumed at the next start.
const Setting<QStringList> unfinishedJobs{QStringLiteral("jobs/unfinished"), {}, SettingScope::Session};
} // namespace

JobCentre::JobCentre(QWidget *parent) : QDockWidget(tr("Jobs"), parent)
{
    setObjectName("jobCentre");
    auto *content = new QWidget;
    mList = new QVBoxLayout(content);
    mList->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto *dock = new QWidget;
    auto *column = new QVBoxLayout(dock);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(new RunnerChoice);
    column->addWidget(scroll, 1);
    setWidget(dock);
    // Jobs the last session left unfinished: offered for resume; Slurm jobs went on without the
    // explorer and are followed again at once.
    for (const QString &text : unfinishedJobs.get()) {
        const JobSpec spec = JobSpec::fromText(text);
        if (!QFileInfo::exists(spec.config))
            continue;
        JobEntry *entry = addEntry(spec);
        if (spec.runner.kind == Runner::Kind::Slurm)
            entry->start();
        else
            entry->markInterrupted();
    }
}

JobCentre::~JobCentre() = default;

JobEntry *JobCentre::addEntry(const JobSpec &spec)
{
    auto *entry = new JobEntry(spec);
    mList->insertWidget(0, entry);
    mJobs.push_back(entry);
    connect(entry, &JobEntry::finished, this, [this, entry] {
        const JobSpec &job = entry->spec();
        if (job.kind == JobSpec::Kind::Zoo || job.kind == JobSpec::Kind::Import) {
            Q_EMIT zooReady(job.output);
        } else if (job.kind == JobSpec::Kind::Sane) { // the zoo is embedded with it (a job), then its map opens
            startEmbedding(job.output + "/encoder.pt", job.zoo, job.device, job.precision, freeEmbeddingsPath(job.zoo), job.runner);
        } else if (job.kind == JobSpec::Kind::Embed) {
            Q_EMIT embeddingsReady(job.zoo, job.output);
        } else if (job.kind == JobSpec::Kind::Metrics) {
            Q_EMIT metricsReady(job.output);
        } else {
            try {
                SampleOptions options = SampleOptions::fromJson(readTextFile(job.config.toStdString()), job.config.toStdString(), {});
                options.output = job.output.toStdString();
                Q_EMIT samplesReady(options, entry->resultText());
            } catch (const std::exception &) {
                // the configuration went missing after the job: nothing to show
            }
        }
    });
    connect(entry, &JobEntry::stateChanged, this, &JobCentre::remember);
    return entry;
}

JobEntry *JobCentre::start(JobSpec spec, const Runner &runner)
{
    spec.runner = runner;
    JobEntry *entry = nullptr;
    for (JobEntry *existing : mJobs) // the same output again: that entry resumes (where it ran)
        if (existing->outputPath() == spec.output && existing->spec().kind == spec.kind)
            entry = existing;
    if (!entry)
        entry = addEntry(spec);
    show();
    raise(); // the tab in front
    entry->start();
    return entry;
}

JobEntry *JobCentre::startZooTraining(const ZooTrainOptions &options, const QString &outputPath, const Runner &runner)
{
    JobSpec spec;
    spec.config = outputPath + ".config.json";
    spec.output = outputPath;
    writeTextFile(spec.config.toStdString(), options.toJson());
    return start(spec, runner);
}

JobEntry *JobCentre::startSaneTraining(const QString &zooPath, const SaneConfig &config, const QString &device,
                                       const QString &precision, const QString &runDir, const Runner &runner)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Sane;
    spec.config = QString(runDir).remove(QRegularExpression("/+$")) + ".config.json";
    spec.output = runDir;
    spec.zoo = zooPath;
    spec.device = device;
    spec.precision = precision;
    writeTextFile(spec.config.toStdString(), config.toJson());
    return start(spec, runner);
}

JobEntry *JobCentre::startSampling(const SampleOptions &options, const Runner &runner)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Sample;
    spec.output = QString::fromStdString(options.output);
    spec.config = spec.output + ".config.json";
    spec.device = QString::fromStdString(options.embed.device);
    spec.precision = QString::fromStdString(options.embed.precision);
    writeTextFile(spec.config.toStdString(), options.toJson());
    return start(spec, runner);
}

JobEntry *JobCentre::startImport(const QString &folder, const QString &outputPath, const Runner &runner)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Import;
    spec.config = folder;
    spec.output = outputPath;
    return start(spec, runner);
}

JobEntry *JobCentre::startSpectralMetrics(const QString &zooPath, const Runner &runner)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Metrics;
    spec.zoo = zooPath;
    spec.output = zooPath; // rewritten in place (atomically) with the new columns
    return start(spec, runner);
}

JobEntry *JobCentre::startEmbedding(const QString &encoderPath, const QString &zooPath, const QString &device,
                                    const QString &precision, const QString &outputPath, const Runner &runner)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Embed;
    spec.config = encoderPath;
    spec.zoo = zooPath;
    spec.device = device;
    spec.precision = precision;
    spec.output = outputPath;
    return start(spec, runner);
}

bool JobCentre::mayStopRunningJobs()
{
    // A Slurm job goes on without the explorer (the next start follows it): nothing to ask.
    const auto running = std::count_if(mJobs.begin(), mJobs.end(), [](const JobEntry *entry) {
        return (entry->state() == JobEntry::State::Running || entry->state() == JobEntry::State::Waiting) &&
               entry->spec().runner.kind != Runner::Kind::Slurm;
    });
    if (running == 0)
        return true;
    QMessageBox box(QMessageBox::Question, tr("Jobs Running"),
                    tr("%n job(s) still running. Stop them and quit?", "", int(running)),
                    QMessageBox::Cancel, window());
    box.setObjectName("runningJobsBox");
    box.setInformativeText(tr("What they finished is kept: the Jobs dock offers to resume them at the next start."));
    box.addButton(tr("Stop Jobs and Quit"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() != box.button(QMessageBox::Cancel);
}

void JobCentre::remember()
{
    QStringList unfinished;
    for (JobEntry *entry : mJobs)
        if (entry->state() != JobEntry::State::Finished)
            unfinished << entry->spec().toText();
    unfinishedJobs.set(unfinished);
}

} // namespace wse
