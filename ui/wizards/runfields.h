#pragma once
// The fields the job dialogs share: where torch runs, at which precision, a path with its Browse
// button, a named spin box.
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QString;

namespace wse {

QComboBox *deviceBox();    // "device": auto, cpu, cuda
QComboBox *precisionBox(); // "precision": fp32, bf16
// "runner": where the job will run (from the Jobs dock's default) and what that runner has.
class RunnerChoice;
RunnerChoice *runnerChoice();
QHBoxLayout *pathRow(QLineEdit *edit, QPushButton *browse);
QSpinBox *spinBox(int minimum, int maximum, int value, const QString &objectName);

} // namespace wse
