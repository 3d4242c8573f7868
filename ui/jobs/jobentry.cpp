#include "jobs/jobentry.h"

#include "generate/generationreport.h"
#include "jobs/processtask.h"
#include "jobs/remotestaging.h"
#include "jobs/slurmjob.h"
#include "sane/sanetrainer.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QProcess>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>

namespace wse {

JobEntry::JobEntry(const JobSpec &spec, QWidget *parent) : QWidget(parent), mSpec(spec)
{
    const QString what = spec.kind == JobSpec::Kind::Zoo      ? tr("zoo")
                         : spec.kind == JobSpec::Kind::Sane   ? tr("SANE encoder")
                         : spec.kind == JobSpec::Kind::Sample ? tr("sampled networks")
                         : spec.kind == JobSpec::Kind::Import ? tr("zoo imported from %1").arg(QFileInfo(spec.config).fileName())
                         : spec.kind == JobSpec::Kind::Metrics ? tr("spectral metrics, WeightWatcher's")
                                                              : tr("SANE embeddings on %1").arg(spec.device);
    const QString where = spec.runner.kind == Runner::Kind::ThisComputer ? QString() : ", " + spec.runner.describe();
    auto *title = new QLabel(QString("<b>%1</b> (%2)").arg(QFileInfo(spec.output).fileName().toHtmlEscaped(), (what + where).toHtmlEscaped()));
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
    if (mSpec.runner.program().isEmpty()) {
        setState(State::Failed, tr("no wse executable beside the explorer or on PATH (set WSE_EXECUTABLE to one)"));
        return;
    }
    setState(State::Running, tr("starting"));
    if (!mSpec.runner.remote())
        return runTask(mSpec);
    delete mStaging; // the host is asked again: its files may have changed since
    mStaging = new RemoteStaging(mSpec, this);
    connect(mStaging, &RemoteStaging::progressed, this, &JobEntry::showProgress);
    connect(mStaging, &RemoteStaging::prepared, this, [this] { runTask(mStaging->remoteSpec()); });
    connect(mStaging, &RemoteStaging::fetched, this, &JobEntry::complete);
    connect(mStaging, &RemoteStaging::failed, this, [this](const QString &message) { setState(State::Failed, message); });
    mStaging->prepare();
}

// Runs the job's wse on `spec` (on an SSH host without this computer's files: on their copies).
void JobEntry::runTask(const JobSpec &spec)
{
    delete mTask;
    // Importing is one process's work; the others run under torchrun when the runner says so.
    const Runner runner = spec.kind == JobSpec::Kind::Import ? spec.runner.alone() : spec.runner;
    const QString slurmFolder = runner.kind == Runner::Kind::Slurm ? slurmJobFolder(spec) : QString();
    mTask = new ProcessTask(runner.program(), runner.arguments(spec.arguments(), slurmFolder), this);
    mCurvesShown.start();
    connect(mTask, &ProcessTask::progressed, this, &JobEntry::showProgress);
    connect(mTask, &ProcessTask::finished, this, [this] {
        mResult = resultOf(*mTask);
        if (mStaging && mStaging->copies())
            mStaging->fetch(); // complete() when the output is back in place
        else
            complete();
    });
    connect(mTask, &ProcessTask::failed, this, [this](const QString &message) { setState(State::Failed, message); });
    connect(mTask, &ProcessTask::cancelled, this, [this] {
        showLossCurves();
        setState(State::Cancelled, tr("cancelled at %1% — every finished epoch is kept; Resume continues").arg(mBar->value()));
    });
    mTask->start();
}

void JobEntry::showProgress(int percent, const QString &stage)
{
    mBar->setValue(percent);
    mStatus->setText(stage);
    if (mCurvesShown.isValid() && mCurvesShown.elapsed() > 1000) { // log.json grows once per epoch
        showLossCurves();
        mCurvesShown.restart();
    }
}

void JobEntry::complete()
{
    mBar->setValue(100);
    showLossCurves();
    QString text = tr("finished: %1").arg(mSpec.output);
    if (mStaging && mStaging->copies())
        text += tr(" (computed in %1:%2)").arg(mSpec.runner.host, mStaging->remoteFolder());
    // A sampling report's provenance table needs a fixed-width font and room: the line shows the
    // summary, the tooltip (and the Generated Networks report) the whole of it.
    const bool sampling = mSpec.kind == JobSpec::Kind::Sample;
    const QString shown = sampling ? GenerationReport::summaryOf(mResult) : mResult;
    if (sampling && !mResult.isEmpty())
        mStatus->setToolTip("<pre>" + mResult.toHtmlEscaped() + "</pre>");
    setState(State::Finished, text + (shown.isEmpty() ? QString() : "\n" + shown.trimmed()));
    Q_EMIT finished();
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
    if (mState != State::Running)
        return;
    if (mTask && mTask->isRunning() && mSpec.runner.kind == Runner::Kind::Slurm)
        return cancelSlurmJob(); // the follower sees the job end: cancelled() follows
    if (mTask && mTask->isRunning())
        return mTask->cancel(); // cancelled() follows
    if (mStaging)
        mStaging->cancel(); // copying: what arrived stays, Resume sends only the rest
    setState(State::Cancelled, tr("cancelled while copying — Resume continues"));
}

// scancel where the job was submitted; the job's own folder names it.
void JobEntry::cancelSlurmJob()
{
    const JobSpec &spec = mStaging ? mStaging->remoteSpec() : mSpec;
    const QStringList command = slurmCancelCommand(mSpec.runner, slurmJobFolder(spec));
    auto *scancel = new QProcess(this);
    scancel->setProcessChannelMode(QProcess::MergedChannels);
    connect(scancel, &QProcess::finished, this, [this, scancel](int exitCode) {
        if (exitCode != 0)
            mStatus->setText(tr("scancel failed: %1").arg(QString::fromUtf8(scancel->readAll()).trimmed()));
        scancel->deleteLater();
    });
    mStatus->setText(tr("cancelling the Slurm job (scancel)"));
    scancel->start(command.first(), command.mid(1));
}

} // namespace wse
