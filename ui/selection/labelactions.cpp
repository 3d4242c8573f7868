#include "selection/labelactions.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"

#include "workspace/checkpointlabels.h"

#include <QAction>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenuBar>

namespace wse {

LabelActions::LabelActions(QMainWindow *window, ExplorerDocument &document)
    : QObject(window), mWindow(window), mDocument(document)
{
    setObjectName("labelActions");
    QMenu *edit = nullptr;
    for (QAction *action : window->menuBar()->actions())
        if (action->menu() && action->text() == tr("&Edit"))
            edit = action->menu();
    if (!edit)
        edit = window->menuBar()->addMenu(tr("&Edit"));
    edit->addSeparator();
    QAction *label = edit->addAction(tr("&Label Selection..."));
    label->setShortcut(QKeySequence(tr("Ctrl+L")));
    connect(label, &QAction::triggered, this, [this] {
        if (mDocument.selection().empty())
            return;
        bool ok = false;
        const QString name = QInputDialog::getItem(mWindow, tr("Label Selection"),
                                                   tr("Label for the %1 selected checkpoints:").arg(mDocument.selection().size()),
                                                   labelNames(), 0, true, &ok);
        if (ok)
            labelSelection(name);
    });
    QAction *remove = edit->addAction(tr("Remove Labels from Selection"));
    remove->setShortcut(QKeySequence(tr("Ctrl+Alt+L")));
    connect(remove, &QAction::triggered, this, [this] { removeSelectionLabels(); });
}

bool LabelActions::labelSelection(const QString &name)
{
    const std::vector<int64_t> &checkpoints = mDocument.selection();
    const std::string text = name.trimmed().toStdString();
    if (!mDocument.zoo() || checkpoints.empty() || text.empty())
        return false;
    mDocument.setLabels(checkpoints, std::vector<std::string>(checkpoints.size(), text),
                        tr("Label %1 Checkpoints \"%2\"").arg(checkpoints.size()).arg(name.trimmed()));
    return true;
}

bool LabelActions::removeSelectionLabels()
{
    std::vector<int64_t> labelled;
    const std::vector<int64_t> &selected = mDocument.selection();
    const std::vector<std::string> labels = mDocument.labelsOf(selected);
    for (size_t i = 0; i < selected.size(); ++i)
        if (!labels[i].empty())
            labelled.push_back(selected[i]);
    if (labelled.empty())
        return false;
    mDocument.setLabels(labelled, std::vector<std::string>(labelled.size()),
                        tr("Remove Labels of %1 Checkpoints").arg(labelled.size()));
    return true;
}

QStringList LabelActions::labelNames() const
{
    QStringList names;
    if (const ZooDocument *zoo = mDocument.zoo())
        for (const WorkspaceLabel &label : labelsIn(zoo->zoo(), zoo->labelColumn()))
            names << QString::fromStdString(label.name);
    return names;
}

} // namespace wse
