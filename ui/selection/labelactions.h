#pragma once
// Labels for checkpoints: Edit ▸ Label Selection... (Ctrl+L) names the selected checkpoints,
// Edit ▸ Remove Labels from Selection takes their labels away. Both are undo steps on the Edit
// menu's stack. Labels are the zoo's label column as the explorer shows it (colour by it, filter
// with label == "...", see it in the table), are saved with the workspace, and each label's name
// is drawn on the map at the middle of its checkpoints.
#include <QObject>
#include <QString>
#include <QStringList>

class QUndoStack;

namespace wse {

class MainWindow;

class LabelActions : public QObject
{
    Q_OBJECT

public:
    LabelActions(MainWindow &window, QUndoStack *undo);

    // Gives the selected checkpoints this label (replacing theirs), as one undo step; false when
    // nothing is selected or the name is empty.
    bool labelSelection(const QString &name);
    bool removeSelectionLabels(); // false when nothing selected carries a label
    QStringList labelNames() const; // those in use, in order of first appearance

private:
    friend class LabelCommand;
    void showLabels(); // on the map, after an edit or when another map is shown

    MainWindow &mWindow;
    QUndoStack *mUndo;
};

} // namespace wse
