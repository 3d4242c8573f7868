#pragma once
// Files dropped on the explorer window: a zoo or workspace (.h5) opens; a SANE encoder (.pt)
// embeds the open zoo with it (a job); network checkpoints (.pt) are embedded with the open
// zoo's encoder and placed on the SANE map as dark squares.
#include <QString>
#include <QStringList>

namespace wse {

class MainWindow;

void acceptFileDrops(MainWindow &window);
// What a drop of these files does; false with the reason when nothing can be done with them.
bool openDroppedFiles(MainWindow &window, const QStringList &files, QString *error);

} // namespace wse
