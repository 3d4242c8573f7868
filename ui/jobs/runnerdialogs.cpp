#include "jobs/runnerdialogs.h"

#include "jobs/slurmjob.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

#include <functional>

namespace wse {

namespace {
// OK (when `acceptable`) and Cancel under the form; true when the user chose OK.
bool askWithButtons(QDialog &dialog, QFormLayout *form, const std::function<bool()> &acceptable)
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, [&dialog, acceptable] {
        if (acceptable())
            dialog.accept();
    });
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    return dialog.exec() == QDialog::Accepted;
}

// The host, wse's path there and the folder for copies, as typed.
void takePlace(Runner &runner, const QLineEdit *host, const QLineEdit *wse, const QLineEdit *stage)
{
    runner.host = host->text().trimmed();
    runner.wse = wse->text().trimmed();
    runner.stage = stage->text().trimmed().isEmpty() ? Runner().stage : stage->text().trimmed();
}
} // namespace

bool askSshHost(QWidget *parent, Runner &runner)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("SSH Host"));
    auto *form = new QFormLayout(&dialog);
    const bool ssh = runner.kind == Runner::Kind::Ssh;
    auto *host = new QLineEdit(ssh ? runner.host : QString());
    host->setObjectName("sshHost");
    host->setPlaceholderText(QObject::tr("[user@]host, or a Host of ~/.ssh/config"));
    auto *wse = new QLineEdit(ssh ? runner.wse : QString());
    wse->setPlaceholderText(QObject::tr("empty: wse on the host's PATH"));
    auto *stage = new QLineEdit(ssh ? runner.stage : Runner().stage);
    stage->setToolTip(QObject::tr("Where inputs the host does not see are copied, one folder per job (relative: to your "
                                  "home folder there). Kept after the job, so that it can resume."));
    auto *copy = new QCheckBox(QObject::tr("Copy files even where the host sees them (e.g. to use its local disk)"));
    copy->setChecked(ssh && runner.alwaysCopy);
    form->addRow(QObject::tr("Host:"), host);
    form->addRow(QObject::tr("wse there:"), wse);
    form->addRow(QObject::tr("Copies go to:"), stage);
    form->addRow(copy);
    form->addRow(new QLabel(QObject::tr("ssh runs in batch mode: the host must accept your key or agent.")));
    if (!askWithButtons(dialog, form, [host] { return !host->text().trimmed().isEmpty(); }))
        return false;
    takePlace(runner, host, wse, stage);
    runner.alwaysCopy = copy->isChecked();
    return true;
}

namespace {
QSpinBox *countBox(int value, int minimum, int maximum, const QString &special = {})
{
    auto *box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setSpecialValueText(special);
    return box;
}
} // namespace

bool askSlurm(QWidget *parent, Runner &runner)
{
    const Runner old = runner.kind == Runner::Kind::Slurm ? runner : Runner{};
    QDialog dialog(parent);
    dialog.setObjectName("slurmDialog");
    dialog.setWindowTitle(QObject::tr("Slurm Cluster"));
    auto *form = new QFormLayout(&dialog);
    auto *host = new QLineEdit(old.host);
    host->setObjectName("slurmHost");
    host->setPlaceholderText(QObject::tr("empty: sbatch runs on this computer"));
    host->setToolTip(QObject::tr("A login host of the cluster ([user@]host or a Host of ~/.ssh/config): jobs are submitted "
                                 "there through SSH, and files it does not see are copied there."));
    auto *wse = new QLineEdit(old.wse);
    wse->setPlaceholderText(QObject::tr("empty: wse on the nodes' PATH"));
    auto *partition = new QLineEdit(old.slurm.partition);
    partition->setObjectName("slurmPartition");
    partition->setPlaceholderText(QObject::tr("empty: the cluster's default"));
    auto *time = new QLineEdit(old.slurm.timeLimit);
    time->setObjectName("slurmTime");
    time->setPlaceholderText(QObject::tr("e.g. 4:00:00 or 2-00:00:00; empty: the partition's default"));
    auto *nodes = countBox(old.slurm.nodes, 1, 4096);
    nodes->setObjectName("slurmNodes");
    auto *gpus = countBox(old.slurm.gpusPerNode, 0, 64, QObject::tr("none"));
    gpus->setObjectName("slurmGpus");
    auto *cpus = countBox(old.slurm.cpusPerTask, 0, 1024, QObject::tr("the cluster's default"));
    auto *options = new QLineEdit(old.slurm.options);
    options->setObjectName("slurmOptions");
    options->setPlaceholderText(QObject::tr("e.g. --account=proj42 --qos=normal --mem=32G"));
    auto *setup = new QPlainTextEdit(old.slurm.setup);
    setup->setObjectName("slurmSetup");
    setup->setPlaceholderText(QObject::tr("shell lines run before the job, e.g. module load cuda/12.1"));
    setup->setMaximumHeight(70);
    auto *stage = new QLineEdit(old.stage);
    stage->setToolTip(QObject::tr("On the login host: where inputs it does not see are copied, one folder per job (relative: "
                                  "to your home folder there). The nodes must see this folder."));
    form->addRow(QObject::tr("Submit on:"), host);
    form->addRow(QObject::tr("wse there:"), wse);
    form->addRow(QObject::tr("Partition:"), partition);
    form->addRow(QObject::tr("Time limit:"), time);
    form->addRow(QObject::tr("Nodes:"), nodes);
    form->addRow(QObject::tr("GPUs per node:"), gpus);
    form->addRow(QObject::tr("CPUs per task:"), cpus);
    form->addRow(QObject::tr("More sbatch options:"), options);
    form->addRow(QObject::tr("Setup:"), setup);
    form->addRow(QObject::tr("Copies go to:"), stage);
    form->addRow(new QLabel(QObject::tr("The job's processes (beside the runner) are Slurm tasks; each uses the GPU of its "
                                        "local rank. The Jobs dock follows the job's output; Cancel runs scancel.")));
    if (!askWithButtons(dialog, form, [] { return true; }))
        return false;
    takePlace(runner, host, wse, stage);
    runner.alwaysCopy = false;
    runner.slurm = {nodes->value(), gpus->value(), cpus->value(), partition->text().trimmed(), time->text().trimmed(),
                    options->text().simplified(), setup->toPlainText().trimmed()};
    return true;
}

} // namespace wse
