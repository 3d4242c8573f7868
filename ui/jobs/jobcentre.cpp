#include "jobs/jobcentre.h"

#include "common/error.h"
#include "common/textfile.h"
#include "document/backgroundtask.h"
#include "training/zootrainer.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>

namespace wse {

namespace {
const char *UnfinishedKey = "jobs/unfinished"; // "config|output" of jobs not finished yet
}

JobEntry::JobEntry(const QString &configPath, const QString &outputPath, QWidget *parent)
    : QWidget(parent), mConfig(configPath), mOutput(outputPath)
{
    auto *title = new QLabel(QString("<b>%1</b>").arg(QFileInfo(outputPath).fileName().toHtmlEscaped()));
    title->setToolTip(outputPath);
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
    connect(mOpen, &QPushButton::clicked, this, [this] { Q_EMIT openRequested(mOutput); });
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
    layout->addLayout(commandRow);
    setState(State::Waiting, tr("waiting"));
}

JobEntry::~JobEntry() = default; // the task (a child) cancels and waits

QString JobEntry::command() const
{
    return QString("wse zoo train --config '%1' -o '%2'").arg(mConfig, mOutput);
}

QString JobEntry::statusText() const { return mStatus->text(); }
int JobEntry::percent() const { return mBar->value(); }

void JobEntry::setState(State state, const QString &text)
{
    mState = state;
    const bool running = state == State::Running;
    mCancel->setVisible(running);
    mResume->setVisible(state == State::Cancelled || state == State::Interrupted || state == State::Failed);
    mOpen->setVisible(state == State::Finished);
    if (!text.isEmpty())
        mStatus->setText(text);
    Q_EMIT stateChanged();
}

void JobEntry::start()
{
    if (mState == State::Running)
        return;
    ZooTrainOptions options;
    try {
        options = ZooTrainOptions::fromJson(readTextFile(mConfig.toStdString()), mConfig.toStdString(), {});
    } catch (const std::exception &error) {
        setState(State::Failed, QString::fromStdString(error.what()));
        return;
    }
    const std::string output = mOutput.toStdString();
    delete mTask;
    mTask = new BackgroundTask([options, output](ProgressReporter &progress) {
        trainZoo(options, output, [&progress](const ProgressInfo &info) {
            std::string stage = info.stage;
            if (!info.detail.empty())
                stage += ": " + info.detail;
            if (info.remainingSeconds >= 0)
                stage += " · ETA " + formatDuration(info.remainingSeconds);
            progress.report(info.fraction, stage);
            return true; // cancellation comes through `progress` (it throws Cancelled)
        });
    }, this);
    connect(mTask, &BackgroundTask::progressed, this, [this](int percent, const QString &stage) {
        mBar->setValue(percent);
        mStatus->setText(stage);
    });
    connect(mTask, &BackgroundTask::finished, this, [this] {
        mBar->setValue(100);
        setState(State::Finished, tr("finished: %1").arg(mOutput));
        Q_EMIT openRequested(mOutput);
    });
    connect(mTask, &BackgroundTask::failed, this, [this](const QString &message) { setState(State::Failed, message); });
    connect(mTask, &BackgroundTask::cancelled, this, [this] {
        setState(State::Cancelled, tr("cancelled at %1% — the zoo keeps every finished epoch; Resume continues").arg(mBar->value()));
    });
    setState(State::Running, tr("starting on %1").arg(QString::fromStdString(options.device)));
    mTask->start();
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
    setWidget(scroll);
    // Jobs the last session left unfinished: offered for resume.
    for (const QString &job : QSettings().value(UnfinishedKey).toStringList()) {
        const QStringList parts = job.split('|');
        if (parts.size() == 2 && QFileInfo::exists(parts[0]))
            addEntry(parts[0], parts[1])->markInterrupted();
    }
    if (!mJobs.empty())
        show();
}

JobCentre::~JobCentre() = default;

JobEntry *JobCentre::addEntry(const QString &configPath, const QString &outputPath)
{
    auto *entry = new JobEntry(configPath, outputPath);
    mList->insertWidget(0, entry);
    mJobs.push_back(entry);
    connect(entry, &JobEntry::openRequested, this, &JobCentre::zooReady);
    connect(entry, &JobEntry::stateChanged, this, &JobCentre::remember);
    return entry;
}

JobEntry *JobCentre::startZooTraining(const ZooTrainOptions &options, const QString &outputPath)
{
    const QString configPath = outputPath + ".config.json";
    writeTextFile(configPath.toStdString(), options.toJson());
    JobEntry *entry = nullptr;
    for (JobEntry *existing : mJobs) // the same output again: that entry resumes
        if (existing->outputPath() == outputPath)
            entry = existing;
    if (!entry)
        entry = addEntry(configPath, outputPath);
    show();
    entry->start();
    return entry;
}

void JobCentre::remember()
{
    QStringList unfinished;
    for (JobEntry *entry : mJobs)
        if (entry->state() != JobEntry::State::Finished)
            unfinished << entry->configPath() + "|" + entry->outputPath();
    QSettings().setValue(UnfinishedKey, unfinished);
}

} // namespace wse
