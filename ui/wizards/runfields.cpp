#include "wizards/runfields.h"

#include "jobs/runner.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace wse {

QComboBox *deviceBox()
{
    auto *box = new QComboBox;
    box->setObjectName("device");
    box->addItems({"auto", "cpu", "cuda"});
    box->setToolTip(QObject::tr("auto: CUDA when this machine has it, else the CPU"));
    return box;
}

QLabel *runnerLabel()
{
    const Runner runner = defaultRunner();
    const QStringList devices = knownDevices(runner);
    auto *label = new QLabel(devices.isEmpty() ? runner.describe() : QStringLiteral("%1 (%2)").arg(runner.describe(), devices.join(", ")));
    label->setObjectName("runner");
    label->setToolTip(QObject::tr("Where the job's wse runs: choose it in the Jobs dock (Run new jobs on)"));
    return label;
}

QComboBox *precisionBox()
{
    auto *box = new QComboBox;
    box->setObjectName("precision");
    box->addItems({"fp32", "bf16"});
    box->setToolTip(QObject::tr("bf16: mixed precision, about twice as fast on CUDA (and CPUs with bf16 units)"));
    return box;
}

QHBoxLayout *pathRow(QLineEdit *edit, QPushButton *browse)
{
    auto *row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return row;
}

QSpinBox *spinBox(int minimum, int maximum, int value, const QString &objectName)
{
    auto *box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setObjectName(objectName);
    return box;
}

} // namespace wse
