#include "jobs/jobcentre.h"

#include "common/error.h"
#include "common/textfile.h"
#include "jobs/processtask.h"
#include "jobs/runnerchoice.h"
#include "preferences/setting.h"
#include "sane/sanetrainer.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

namespace wse {

namespace {
// JobSpec::toText() of jobs not finished yet: session state, resumed at the next start.
const Setting<QStringList> unfinishedJobs{QStringLiteral("jobs/unfinished"), {}, SettingScope::Session};

QString quoted(const QString &text) { return "'" + QString(text).replace("'", "'\\''") + "'"; }
} // namespace

namespace {
const char *kindName(JobSpec::Kind kind)
{
    switch (kind) {
    case JobSpec::Kind::Zoo: return "zoo";
    case JobSpec::Kind::Sane: return "sane";
    case JobSpec::Kind::Sample: return "sample";
    case JobSpec::Kind::Embed: return "embed";
    case JobSpec::Kind::Import: return "import";
    }
    return "zoo";
}
} // namespace

QString JobSpec::command() const
{
    const QString wse = runner.commandPrefix();
    if (kind == Kind::Zoo)
        return QString("%1 zoo train --config %2 -o %3").arg(wse, quoted(config), quoted(output));
    if (kind == Kind::Sample)
        return QString("%1 sample --config %2 -o %3").arg(wse, quoted(config), quoted(output));
    if (kind == Kind::Import)
        return QString("%1 zoo import %2 -o %3").arg(wse, quoted(config), quoted(output));
    if (kind == Kind::Embed)
        return QString("%1 embed --sane %2 --zoo %3 --device %4 --precision %5 -o %6")
            .arg(wse, quoted(config), quoted(zoo), device, precision, quoted(output));
    return QString("%1 sane train --zoo %2 --config %3 --device %4 --precision %5 -o %6")
        .arg(wse, quoted(zoo), quoted(config), device, precision, quoted(output));
}

QStringList JobSpec::arguments() const
{
    switch (kind) {
    case Kind::Zoo: return {"zoo", "train", "--config", config, "-o", output};
    case Kind::Sample: return {"sample", "--config", config, "-o", output};
    case Kind::Import: return {"zoo", "import", config, "-o", output};
    case Kind::Embed:
        return {"embed", "--sane", config, "--zoo", zoo, "--device", device, "--precision", precision, "-o", output};
    case Kind::Sane:
        return {"sane", "train", "--zoo", zoo, "--config", config, "--device", device, "--precision", precision, "-o", output};
    }
    return {};
}

QString JobSpec::toText() const
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{"kind", kindName(kind)},
                                                       {"config", config},
                                                       {"output", output},
                                                       {"zoo", zoo},
                                                       {"device", device},
                                                       {"precision", precision},
                                                       {"runner", runner.toText()}})
                                 .toJson(QJsonDocument::Compact));
}

JobSpec JobSpec::fromText(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    JobSpec spec;
    spec.kind = Kind::Zoo;
    for (Kind kind : {Kind::Sane, Kind::Sample, Kind::Embed, Kind::Import})
        if (o["kind"].toString() == kindName(kind))
            spec.kind = kind;
    spec.config = o["config"].toString();
    spec.output = o["output"].toString();
    spec.zoo = o["zoo"].toString();
    spec.device = o["device"].toString("auto");
    spec.precision = o["precision"].toString("fp32");
    spec.runner = Runner::fromText(o["runner"].toString());
    return spec;
}

JobEntry::JobEntry(const JobSpec &spec, QWidget *parent) : QWidget(parent), mSpec(spec)
{
    const QString what = spec.kind == JobSpec::Kind::Zoo      ? tr("zoo")
                         : spec.kind == JobSpec::Kind::Sane   ? tr("SANE encoder")
                         : spec.kind == JobSpec::Kind::Sample ? tr("sampled networks")
                         : spec.kind == JobSpec::Kind::Import ? tr("zoo imported from %1").arg(QFileInfo(spec.config).fileName())
                                                              : tr("SANE embeddings on %1").arg(spec.device);
    auto *title = new QLabel(QString("<b>%1</b> (%2)").arg(QFileInfo(spec.output).fileName().toHtmlEscaped(), what));
    title->setToolTip(spec.output);
    mBar = new QProgressBar;
    mBar->setRange(0, 100);
    mStatus = new QLabel;
    mStatus->setWordWrap(true);
    mCancel = new QPushButton(tr("Cancel"));
    mResume = new QPushButton(tr("Resume"));
    mOpen = new QPushButton(tr("Open"));
    auto *copy = new QPushButton(tr("Copy"));
    copy->setToolTip(tr("Copy the command that runs this job from a shell"));
    auto *commandLine = new QLineEdit(command());
    commandLine->setReadOnly(true);
    connect(mCancel, &QPushButton::clicked, this, &JobEntry::cancel);
    connect(mResume, &QPushButton::clicked, this, &JobEntry::start);
    connect(mOpen, &QPushButton::clicked, this, &JobEntry::finished);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(command()); });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(mBar, 1);
    buttons->addWidget(mCancel);
    buttons->addWidget(mResume);
    buttons->addWidget(mOpen);
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(commandLine, 1);
    commandRow->addWidget(copy);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(buttons);
    layout->addWidget(mStatus);
    if (spec.kind == JobSpec::Kind::Sane) { // live loss curves, from the run's log.json
        mCurves = new QChartView;
        mCurves->setObjectName("lossCurves");
        mCurves->setMinimumHeight(220);
        mCurves->setRenderHint(QPainter::Antialiasing);
        layout->addWidget(mCurves);
        showLossCurves();
    }
    layout->addLayout(commandRow);
    setState(State::Waiting, tr("waiting"));
}

JobEntry::~JobEntry() = default; // the task (a child) cancels and waits

QString JobEntry::statusText() const { return mStatus->text(); }
int JobEntry::percent() const { return mBar->value(); }

void JobEntry::setState(State state, const QString &text)
{
    mState = state;
    mCancel->setVisible(state == State::Running);
    mResume->setVisible(state == State::Cancelled || state == State::Interrupted || state == State::Failed);
    mOpen->setVisible(state == State::Finished);
    if (!text.isEmpty())
        mStatus->setText(text);
    Q_EMIT stateChanged();
}

void JobEntry::showLossCurves()
{
    if (!mCurves)
        return;
    std::vector<SaneEpochLog> log;
    try {
        log = readSaneLog(mSpec.output.toStdString());
    } catch (const std::exception &) {
        return; // being written: the next report shows it
    }
    auto *chart = new QChart;
    chart->setTitle(tr("SANE losses per epoch"));
    auto *axisX = new QValueAxis;
    axisX->setTitleText(tr("epoch"));
    axisX->setLabelFormat("%d");
    auto *axisY = new QValueAxis;
    axisY->setTitleText(tr("loss"));
    chart->addAxis(axisX, Qt::AlignBottom);
    chart->addAxis(axisY, Qt::AlignLeft);
    double top = 0;
    const std::pair<QString, double SaneEpochLog::*> curves[] = {{tr("training"), &SaneEpochLog::loss},
                                                                 {tr("validation"), &SaneEpochLog::valLoss},
                                                                 {tr("reconstruction"), &SaneEpochLog::reconstruction},
                                                                 {tr("contrastive"), &SaneEpochLog::contrastive}};
    for (const auto &[name, field] : curves) {
        auto *series = new QLineSeries;
        series->setName(name);
        for (const SaneEpochLog &epoch : log) {
            series->append(epoch.epoch, epoch.*field);
            top = std::max(top, epoch.*field);
        }
        chart->addSeries(series);
        series->attachAxis(axisX);
        series->attachAxis(axisY);
    }
    // Epochs are whole numbers from 1: one tick per epoch up to ten, else ten ticks.
    const int last = std::max(2, log.empty() ? 2 : log.back().epoch);
    axisX->setRange(1, last);
    axisX->setTickCount(last <= 10 ? last : 10);
    axisY->setRange(0, top > 0 ? top * 1.05 : 1);
    QChart *old = mCurves->chart();
    mCurves->setChart(chart);
    delete old;
}

void JobEntry::start()
{
    if (mState == State::Running)
        return;
    const QString program = mSpec.runner.program();
    if (program.isEmpty()) {
        setState(State::Failed, tr("no wse executable beside the explorer or on PATH (set WSE_EXECUTABLE to one)"));
        return;
    }
    delete mTask;
    mTask = new ProcessTask(program, mSpec.runner.arguments(mSpec.arguments()), this);
    auto curvesShown = std::make_shared<QElapsedTimer>();
    curvesShown->start();
    connect(mTask, &ProcessTask::progressed, this, [this, curvesShown](int percent, const QString &stage) {
        mBar->setValue(percent);
        mStatus->setText(stage);
        if (curvesShown->elapsed() > 1000) { // log.json grows once per epoch
            showLossCurves();
            curvesShown->restart();
        }
    });
    connect(mTask, &ProcessTask::finished, this, [this] {
        mBar->setValue(100);
        showLossCurves();
        mResult = resultOf(*mTask);
        setState(State::Finished, tr("finished: %1").arg(mSpec.output) + (mResult.isEmpty() ? QString() : "\n" + mResult.trimmed()));
        Q_EMIT finished();
    });
    connect(mTask, &ProcessTask::failed, this, [this](const QString &message) { setState(State::Failed, message); });
    connect(mTask, &ProcessTask::cancelled, this, [this] {
        showLossCurves();
        setState(State::Cancelled, tr("cancelled at %1% — every finished epoch is kept; Resume continues").arg(mBar->value()));
    });
    setState(State::Running, tr("starting"));
    mTask->start();
}

// What a finished job reports beside its output: a sampling job's report (its standard output),
// an import's counts and skipped models.
QString JobEntry::resultOf(const ProcessTask &task) const
{
    if (mSpec.kind == JobSpec::Kind::Sample)
        return task.standardOutput();
    if (mSpec.kind != JobSpec::Kind::Import)
        return {};
    QStringList report;
    for (const QString &message : task.messages())
        if (!report.isEmpty() || message.startsWith("imported"))
            report << message;
    return report.join('\n');
}

void JobEntry::markInterrupted()
{
    setState(State::Interrupted, tr("interrupted when the explorer closed — Resume continues from the last finished epoch"));
}

void JobEntry::cancel()
{
    if (mTask && mState == State::Running)
        mTask->cancel();
}

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
    // Jobs the last session left unfinished: offered for resume.
    for (const QString &text : unfinishedJobs.get()) {
        const JobSpec spec = JobSpec::fromText(text);
        if (QFileInfo::exists(spec.config))
            addEntry(spec)->markInterrupted();
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
        } else if (job.kind == JobSpec::Kind::Sane) {
            Q_EMIT encoderReady(job.zoo, job.output + "/encoder.pt");
        } else if (job.kind == JobSpec::Kind::Embed) {
            Q_EMIT embeddingsReady(job.zoo, job.output);
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
    const auto running = std::count_if(mJobs.begin(), mJobs.end(), [](const JobEntry *entry) {
        return entry->state() == JobEntry::State::Running || entry->state() == JobEntry::State::Waiting;
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
