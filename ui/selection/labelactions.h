#pragma once
// Labels for checkpoints: Edit ▸ Label Selection... (Ctrl+L) names the selected checkpoints,
// Edit ▸ Remove Labels from Selection takes their labels away. Both are undo steps of the
// explorer's document. Labels are the zoo's label column as the explorer shows it (colour by it,
// filter with label == "...", see it in the table), are saved with the workspace, and each label's
// name is drawn on the map at the middle of its checkpoints (map/mappresenter.h).
#include <QObject>
#include <QString>
#include <QStringList>

class QMainWindow;

namespace wse {

class ExplorerDocument;

class LabelActions : public QObject
{
    Q_OBJECT

public:
    LabelActions(QMainWindow *window, ExplorerDocument &document);

    // Gives the selected checkpoints this label (replacing theirs), as one undo step; false when
    // nothing is selected or the name is empty.
    bool labelSelection(const QString &name);
    bool removeSelectionLabels(); // false when nothing selected carries a label
    QStringList labelNames() const; // those in use, in order of first appearance

private:
    QMainWindow *mWindow;
    ExplorerDocument &mDocument;
};

} // namespace wse
