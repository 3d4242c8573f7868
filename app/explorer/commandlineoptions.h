#pragma once
#include <QSize>
#include <QString>

class QApplication;

namespace wse {

struct ExplorerOptions
{
    QString file;
    QString colourBy;
    QString screenshot;
    QSize size;
};

// Parses wse-explorer's arguments; prints help/version and exits on --help/--version or errors.
ExplorerOptions parseExplorerOptions(const QApplication &app);

} // namespace wse
