#include "selection/labelactions.h"

#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/mapview.h"

#include "workspace/checkpointlabels.h"

#include <QAction>
#include <QInputDialog>
#include <QMenuBar>
#include <QUndoCommand>
#include <QUndoStack>

#include <map>

namespace wse {

// Sets the labels of some checkpoints; undo gives them back their earlier ones.
class LabelCommand : public QUndoCommand
{
public:
    LabelCommand(LabelActions &owner, std::vector<int64_t> checkpoints, std::vector<std::string> after, const QString &text)
        : QUndoCommand(text), mOwner(owner), mCheckpoints(std::move(checkpoints)), mAfter(std::move(after))
    {
        mBefore = owner.mWindow.document()->labelsOf(mCheckpoints);
        mDocument = owner.mWindow.document();
    }
    void redo() override { apply(mAfter); }
    void undo() override { apply(mBefore); }

private:
    void apply(const std::vector<std::string> &labels)
    {
        ZooDocument *document = mOwner.mWindow.editableDocument();
        if (document != mDocument)
            return; // another zoo is open (the stack is cleared then; belt and braces)
        document->setLabels(mCheckpoints, labels);
        const QString column = QString::fromStdString(document->labelColumn());
        MainWindow &window = mOwner.mWindow;
        if (window.colouringColumn() == column || window.filter().contains(column))
            window.colourBy(window.colouringColumn()); // the colours and the filter's matches follow
        mOwner.showLabels();
        Q_EMIT window.labelsChanged();
    }

    LabelActions &mOwner;
    const ZooDocument *mDocument = nullptr;
    std::vector<int64_t> mCheckpoints;
    std::vector<std::string> mBefore, mAfter;
};

LabelActions::LabelActions(MainWindow &window, QUndoStack *undo) : QObject(&window), mWindow(window), mUndo(undo)
{
    setObjectName("labelActions");
    QMenu *edit = nullptr;
    for (QAction *action : window.menuBar()->actions())
        if (action->menu() && action->text() == tr("&Edit"))
            edit = action->menu();
    if (!edit)
        edit = window.menuBar()->addMenu(tr("&Edit"));
    edit->addSeparator();
    QAction *label = edit->addAction(tr("&Label Selection..."));
    label->setShortcut(QKeySequence(tr("Ctrl+L")));
    connect(label, &QAction::triggered, this, [this] {
        if (mWindow.selectedCheckpoints().empty())
            return;
        QStringList names = labelNames();
        bool ok = false;
        const QString name = QInputDialog::getItem(&mWindow, tr("Label Selection"),
                                                   tr("Label for the %1 selected checkpoints:").arg(mWindow.selectedCheckpoints().size()),
                                                   names, 0, true, &ok);
        if (ok)
            labelSelection(name);
    });
    QAction *remove = edit->addAction(tr("Remove Labels from Selection"));
    remove->setShortcut(QKeySequence(tr("Ctrl+Alt+L")));
    connect(remove, &QAction::triggered, this, [this] { removeSelectionLabels(); });
    connect(&window, &MainWindow::mapShown, this, &LabelActions::showLabels);
}

bool LabelActions::labelSelection(const QString &name)
{
    const std::vector<int64_t> checkpoints = mWindow.selectedCheckpoints();
    const std::string text = name.trimmed().toStdString();
    if (!mWindow.document() || checkpoints.empty() || text.empty())
        return false;
    mUndo->push(new LabelCommand(*this, checkpoints, std::vector<std::string>(checkpoints.size(), text),
                                 tr("Label %1 Checkpoints \"%2\"").arg(checkpoints.size()).arg(name.trimmed())));
    return true;
}

bool LabelActions::removeSelectionLabels()
{
    const ZooDocument *document = mWindow.document();
    if (!document)
        return false;
    std::vector<int64_t> labelled;
    const std::vector<int64_t> selected = mWindow.selectedCheckpoints();
    const std::vector<std::string> labels = document->labelsOf(selected);
    for (size_t i = 0; i < selected.size(); ++i)
        if (!labels[i].empty())
            labelled.push_back(selected[i]);
    if (labelled.empty())
        return false;
    mUndo->push(new LabelCommand(*this, labelled, std::vector<std::string>(labelled.size()),
                                 tr("Remove Labels of %1 Checkpoints").arg(labelled.size())));
    return true;
}

QStringList LabelActions::labelNames() const
{
    QStringList names;
    if (const ZooDocument *document = mWindow.document())
        for (const WorkspaceLabel &label : labelsIn(document->zoo(), document->labelColumn()))
            names << QString::fromStdString(label.name);
    return names;
}

void LabelActions::showLabels()
{
    const ZooDocument *document = mWindow.document();
    if (!document)
        return;
    // Zoo checkpoint -> point of the shown map.
    const std::vector<int64_t> &onMap = document->map(mWindow.mapSource()).checkpoints;
    std::map<int64_t, int> pointOf;
    for (size_t i = 0; i < onMap.size(); ++i)
        pointOf.emplace(onMap[i], int(i));
    std::vector<MapView::PointGroup> groups;
    for (const WorkspaceLabel &label : labelsIn(document->zoo(), document->labelColumn())) {
        MapView::PointGroup group{QString::fromStdString(label.name), {}};
        for (int64_t checkpoint : label.checkpoints)
            if (const auto it = pointOf.find(checkpoint); it != pointOf.end())
                group.points.push_back(it->second);
        if (!group.points.empty())
            groups.push_back(std::move(group));
    }
    mWindow.mapView()->setPointGroups(std::move(groups));
}

} // namespace wse
