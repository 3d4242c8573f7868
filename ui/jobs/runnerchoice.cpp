#include "jobs/runnerchoice.h"

#include "jobs/runnerdialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSignalBlocker>
#include <QSpinBox>

namespace wse {

namespace {

// "cpu 16 threads · cuda:0 NVIDIA H100 80GB HBM3 (79.1 GiB)" and the device names, from
// `wse devices --json`.
std::pair<QString, QStringList> describeDevices(const QJsonObject &devices)
{
    QStringList offered{QObject::tr("cpu %1 threads").arg(devices["cpu"].toObject()["threads"].toInt())};
    QStringList names{"cpu"};
    for (const QJsonValue &value : devices["cuda"].toArray()) {
        const QJsonObject gpu = value.toObject();
        names << gpu["device"].toString();
        QString text = gpu["device"].toString() + " " + gpu["name"].toString();
        if (gpu["memory_bytes"].toDouble() > 0)
            text += QStringLiteral(" (%1 GiB)").arg(gpu["memory_bytes"].toDouble() / double(1ull << 30), 0, 'f', 1);
        offered << text.simplified();
    }
    return {offered.join(QStringLiteral(" · ")), names};
}

QString filesPolicy(const Runner &runner)
{
    if (runner.kind == Runner::Kind::Slurm && !runner.remote())
        return QObject::tr("Files: used in place; the cluster's nodes must see them under the same paths. The batch "
                           "script and the job's output files go to a folder beside each job's output.");
    if (!runner.remote())
        return {};
    const QString stage = runner.host + ":" + runner.stage;
    if (runner.alwaysCopy)
        return QObject::tr("Files: copied up to %1, the results copied back.").arg(stage);
    return QObject::tr("Files: used in place when %1 sees them under the same paths; otherwise copied up to %2 "
                       "and the results copied back.").arg(runner.host, stage);
}

} // namespace

RunnerChoice::RunnerChoice(Scope scope, QWidget *parent) : QWidget(parent), mScope(scope), mRunner(defaultRunner())
{
    auto *grid = new QGridLayout(this);
    int column = 0;
    if (scope == Scope::NewJobs) {
        grid->setContentsMargins(4, 2, 4, 2);
        grid->addWidget(new QLabel(tr("Run new jobs on:")), 0, column++);
    } else {
        grid->setContentsMargins(0, 0, 0, 0);
    }
    mBox = new QComboBox;
    mBox->setObjectName(scope == Scope::NewJobs ? "jobRunner" : "runner");
    mBox->setToolTip(tr("This computer: the wse installed with the explorer.\n"
                        "Another wse build: e.g. one built against a CUDA LibTorch.\n"
                        "An SSH host: OpenSSH with your config and keys; files the host does not see under the "
                        "same paths are copied there and the results back.\n"
                        "A Slurm cluster: a batch job submitted with sbatch, here or on a login host through SSH, "
                        "followed in the Jobs dock."));
    grid->addWidget(mBox, 0, column, 1, 1);
    grid->setColumnStretch(column, 1);
    mProcesses = new QSpinBox;
    mProcesses->setObjectName("processes");
    mProcesses->setRange(1, 256);
    mProcesses->setSuffix(tr(" process(es)"));
    mProcesses->setToolTip(tr("More than one: the job runs under torchrun (PyTorch's launcher) or, on Slurm, as that many "
                              "tasks started by srun, each process a share — "
                              "a population of the zoo, a share of SANE's batches, a block of the embeddings — "
                              "e.g. one per GPU. Needs python3 with torch where the job runs."));
    mProcesses->setValue(mRunner.processes);
    grid->addWidget(mProcesses, 0, column + 1);
    connect(mProcesses, &QSpinBox::valueChanged, this, [this](int processes) {
        if (processes == mRunner.processes)
            return;
        Runner runner = mRunner;
        runner.processes = processes;
        choose(runner);
    });
    mNote = new QLabel;
    mNote->setObjectName("jobRunnerNote");
    mNote->setWordWrap(true);
    mFiles = new QLabel;
    mFiles->setObjectName("runnerFiles");
    mFiles->setWordWrap(true);
    grid->addWidget(mNote, 1, column);
    grid->addWidget(mFiles, 2, column);
    connect(mBox, qOverload<int>(&QComboBox::activated), this, &RunnerChoice::picked);
    showChoice(false); // asked when first shown: nothing runs at the explorer's start
}

void RunnerChoice::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!mAsked)
        probeDevices(mRunner);
}

RunnerChoice::~RunnerChoice()
{
    stopProbe();
}

void RunnerChoice::stopProbe()
{
    if (!mProbe)
        return;
    mProbe->disconnect(this);
    mProbe->kill();
    mProbe->waitForFinished(2000);
    delete mProbe;
    mProbe = nullptr;
}

void RunnerChoice::choose(const Runner &runner)
{
    mRunner = runner;
    if (mScope == Scope::NewJobs)
        setDefaultRunner(runner);
    showChoice(true);
    Q_EMIT runnerChanged(mRunner);
}

// The three kinds, the current one with its build or host.
void RunnerChoice::showChoice(bool askDevices)
{
    const QSignalBlocker blocker(mBox);
    const QSignalBlocker quiet(mProcesses);
    mProcesses->setValue(mRunner.processes);
    mBox->clear();
    mBox->addItem(tr("this computer"));
    mBox->addItem(mRunner.kind == Runner::Kind::Build ? mRunner.describe() : tr("another wse build..."));
    mBox->addItem(mRunner.kind == Runner::Kind::Ssh ? mRunner.describe() : tr("an SSH host..."));
    mBox->addItem(mRunner.kind == Runner::Kind::Slurm ? mRunner.describe() : tr("a Slurm cluster (sbatch)..."));
    mBox->setCurrentIndex(int(mRunner.kind));
    mFiles->setText(filesPolicy(mRunner));
    mFiles->setVisible(!mFiles->text().isEmpty());
    if (mRunner.kind == Runner::Kind::Build && !QFileInfo(mRunner.wse).isExecutable())
        showDevices(tr("not executable"), true);
    else if (askDevices)
        probeDevices(mRunner);
}

void RunnerChoice::showDevices(const QString &text, bool problem)
{
    mNote->setText(text);
    mNote->setStyleSheet(problem ? "color: #b00020;" : QString());
}

// Asks the runner's wse what it has (`wse devices --json`, in the background) and shows it; what
// this session heard before is shown without asking again.
void RunnerChoice::probeDevices(const Runner &runner)
{
    stopProbe(); // an earlier question is no longer wanted
    mAsked = true;
    if (const QString known = knownDevicesSummary(runner); !known.isEmpty())
        return showDevices(known, false);
    if (runner.program().isEmpty())
        return showDevices(tr("no wse found beside the explorer or on PATH"), true);
    mProbe = new QProcess(this);
    showDevices(tr("asking..."), false);
    QProcess *probe = mProbe;
    connect(probe, &QProcess::finished, this, [this, probe, runner](int exitCode) {
        const QJsonObject devices = QJsonDocument::fromJson(probe->readAllStandardOutput()).object();
        if (exitCode != 0 || devices.isEmpty()) {
            const QString why = QString::fromUtf8(probe->readAllStandardError()).trimmed().section('\n', -1);
            return showDevices(tr("no answer: %1").arg(why.isEmpty() ? tr("exit status %1").arg(exitCode) : why), true);
        }
        const auto [summary, names] = describeDevices(devices);
        rememberDevices(runner, names, summary);
        showDevices(summary, false);
        mNote->setToolTip(tr("LibTorch %1%2").arg(devices["libtorch"].toString(),
                                                   devices["cuda_build"].toBool() ? tr(", CUDA build") : QString()));
    });
    connect(probe, &QProcess::errorOccurred, this, [this, probe](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            showDevices(tr("cannot run %1").arg(probe->program()), true);
    });
    probe->start(runner.alone().program(), runner.alone().arguments({"devices", "--json"}));
}

void RunnerChoice::picked(int index)
{
    Runner runner = mRunner;
    if (index == int(Runner::Kind::ThisComputer)) {
        runner = Runner();
        runner.processes = mRunner.processes;
    } else if (index == int(Runner::Kind::Build)) {
        const QString file = QFileDialog::getOpenFileName(this, tr("Another wse Build"),
                                                          runner.kind == Runner::Kind::Build ? runner.wse : QString());
        if (!file.isEmpty()) {
            runner = Runner{Runner::Kind::Build, file, {}};
            runner.processes = mRunner.processes;
        }
    } else if (index == int(Runner::Kind::Ssh) && askSshHost(this, runner)) {
        runner.kind = Runner::Kind::Ssh;
    } else if (index == int(Runner::Kind::Slurm) && askSlurm(this, runner)) {
        runner.kind = Runner::Kind::Slurm;
    }
    choose(runner);
}

} // namespace wse
