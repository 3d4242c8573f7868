#pragma once
// The fields every job's run settings share: where torch runs, at which precision, and a path
// with its Browse button.
class QComboBox;
class QHBoxLayout;
class QLineEdit;
class QPushButton;

namespace wse {

QComboBox *deviceBox();    // "device": auto, cpu, cuda
QComboBox *precisionBox(); // "precision": fp32, bf16
QHBoxLayout *pathRow(QLineEdit *edit, QPushButton *browse);

} // namespace wse
