#include "wizards/runfields.h"

#include "jobs/runnerchoice.h"

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

RunnerChoice *runnerChoice()
{
    return new RunnerChoice(RunnerChoice::Scope::OneJob);
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
