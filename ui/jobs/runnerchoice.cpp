#include "jobs/runnerchoice.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
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
    showChoice();
}

void RunnerChoice::choose(const Runner &runner)
{
    setDefaultRunner(runner);
    showChoice();
}

// The three kinds, the current one with its build or host.
void RunnerChoice::showChoice()
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
