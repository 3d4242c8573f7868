#pragma once
// Help > About: what this build is (version, commit, the libraries it runs with and where LibTorch
// computes) and the licences of the program and of what it is built on. The text can be copied
// for a bug report.
#include <QString>

class QWidget;

namespace wse {

QString aboutText();        // HTML
QString aboutPlainText();   // the same facts, one per line, for the clipboard
void showAboutDialog(QWidget *parent);

} // namespace wse
