#include "jobs/runnerchoice.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QSignalBlocker>

namespace wse {

RunnerChoice::RunnerChoice(QWidget *parent) : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(4, 2, 4, 2);
    row->addWidget(new QLabel(tr("Run new jobs on:")));
    mBox = new QComboBox;
    mBox->setObjectName("jobRunner");
    mBox->setToolTip(tr("This computer: the wse installed with the explorer.\n"
                        "Another wse build: e.g. one built against a CUDA LibTorch.\n"
                        "An SSH host: OpenSSH with your config and keys; the files must be on a file system the host "
                        "sees under the same paths."));
    row->addWidget(mBox, 1);
    mNote = new QLabel;
    mNote->setObjectName("jobRunnerNote");
    row->addWidget(mNote);
    connect(mBox, qOverload<int>(&QComboBox::activated), this, &RunnerChoice::picked);
    showChoice(false); // asked when the dock is first shown: nothing runs at the explorer's start
}

void RunnerChoice::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!mAsked)
        probeDevices(defaultRunner());
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
    setDefaultRunner(runner);
    showChoice(true);
}

// The three kinds, the current one with its build or host.
void RunnerChoice::showChoice(bool askDevices)
{
    const Runner current = defaultRunner();
    const QSignalBlocker blocker(mBox);
    mBox->clear();
    mBox->addItem(tr("this computer"));
    mBox->addItem(current.kind == Runner::Kind::Build ? current.describe() : tr("another wse build..."));
    mBox->addItem(current.kind == Runner::Kind::Ssh ? current.describe() : tr("an SSH host..."));
    mBox->setCurrentIndex(int(current.kind));
    const bool missing = current.kind == Runner::Kind::Build && !QFileInfo(current.wse).isExecutable();
    mNote->setText(missing ? tr("not executable") : QString());
    mNote->setStyleSheet(missing ? "color: #b00020;" : QString());
    if (!missing && askDevices)
        probeDevices(current);
}

// Asks the runner's wse what it has (`wse devices --json`, in the background) and shows it:
// "cpu 16 threads · cuda:0 NVIDIA H100 80GB HBM3 (79.1 GiB)".
void RunnerChoice::probeDevices(const Runner &runner)
{
    stopProbe(); // an earlier question is no longer wanted
    mAsked = true;
    if (runner.program().isEmpty()) {
        mNote->setText(tr("no wse found beside the explorer or on PATH"));
        return;
    }
    mProbe = new QProcess(this);
    mNote->setText(tr("asking..."));
    QProcess *probe = mProbe;
    connect(probe, &QProcess::finished, this, [this, probe, runner](int exitCode) {
        const QJsonObject devices = QJsonDocument::fromJson(probe->readAllStandardOutput()).object();
        if (exitCode != 0 || devices.isEmpty()) {
            const QString why = QString::fromUtf8(probe->readAllStandardError()).trimmed().section('\n', -1);
            mNote->setText(tr("no answer: %1").arg(why.isEmpty() ? tr("exit status %1").arg(exitCode) : why));
            mNote->setStyleSheet("color: #b00020;");
            return;
        }
        QStringList offered{tr("cpu %1 threads").arg(devices["cpu"].toObject()["threads"].toInt())};
        QStringList names{"cpu"};
        for (const QJsonValue &value : devices["cuda"].toArray()) {
            const QJsonObject gpu = value.toObject();
            names << gpu["device"].toString();
            QString text = gpu["device"].toString() + " " + gpu["name"].toString();
            if (gpu["memory_bytes"].toDouble() > 0)
                text += QStringLiteral(" (%1 GiB)").arg(gpu["memory_bytes"].toDouble() / double(1ull << 30), 0, 'f', 1);
            offered << text.simplified();
        }
        rememberDevices(runner, names);
        mNote->setText(offered.join(QStringLiteral(" · ")));
        mNote->setToolTip(tr("LibTorch %1%2").arg(devices["libtorch"].toString(),
                                                   devices["cuda_build"].toBool() ? tr(", CUDA build") : QString()));
    });
    connect(probe, &QProcess::errorOccurred, this, [this, probe](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            mNote->setText(tr("cannot run %1").arg(probe->program()));
    });
    probe->start(runner.program(), runner.arguments({"devices", "--json"}));
}

void RunnerChoice::picked(int index)
{
    Runner runner = defaultRunner();
    if (index == int(Runner::Kind::ThisComputer)) {
        runner = Runner();
    } else if (index == int(Runner::Kind::Build)) {
        const QString file = QFileDialog::getOpenFileName(this, tr("Another wse Build"),
                                                          runner.kind == Runner::Kind::Build ? runner.wse : QString());
        if (!file.isEmpty())
            runner = Runner{Runner::Kind::Build, file, {}};
    } else {
        bool ok = false;
        const QString host = QInputDialog::getText(this, tr("SSH Host"), tr("Host ([user@]host, or a Host of ~/.ssh/config):"),
                                                   QLineEdit::Normal, runner.host, &ok).trimmed();
        if (ok && !host.isEmpty()) {
            const QString wse = QInputDialog::getText(this, tr("SSH Host"), tr("wse on %1 (empty: wse on its PATH):").arg(host),
                                                      QLineEdit::Normal, runner.kind == Runner::Kind::Ssh ? runner.wse : QString(), &ok);
            if (ok)
                runner = Runner{Runner::Kind::Ssh, wse.trimmed(), host};
        }
    }
    choose(runner);
}

} // namespace wse
