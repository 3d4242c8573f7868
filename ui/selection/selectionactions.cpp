#include "selection/selectionactions.h"

#include "document/zoodocument.h"
#include "document/explorerdocument.h"
#include "map/mapcolumns.h"
#include "map/mapview.h"

#include "analysis/selection.h"

#include <QActionGroup>
#include <QInputDialog>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenuBar>
#include <QUndoCommand>
#include <QUndoStack>

namespace wse {

namespace {

template <typename Function>
QAction *action(QMenu *menu, const QString &text, const QKeySequence &shortcut, Function function)
{
    QAction *added = menu->addAction(text);
    added->setShortcut(shortcut);
    QObject::connect(added, &QAction::triggered, menu, function);
    return added;
}

} // namespace

SelectionActions::SelectionActions(QMainWindow *window, ExplorerDocument &document, MapView *view)
    : QObject(window), mWindow(window), mDocument(document), mView(view)
{
    addMenu();
}

QUndoStack *SelectionActions::undoStack() const
{
    return mDocument.undoStack();
}

void SelectionActions::select(std::vector<int> points, const QString &what)
{
    mDocument.selectPoints(points, what);
}

const std::vector<WorkspaceSelection> &SelectionActions::savedSelections() const
{
    return mDocument.savedSelections();
}

bool SelectionActions::saveSelection(const QString &name)
{
    return mDocument.saveSelection(name);
}

bool SelectionActions::restoreSelection(const QString &name)
{
    return mDocument.restoreSelection(name);
}

bool SelectionActions::removeSelection(const QString &name)
{
    return mDocument.removeSelection(name);
}

// The points the filter matches and the map draws (all of them without a filter).
void SelectionActions::selectMatchingFilter()
{
    if (!mDocument.zoo())
        return;
    const std::vector<bool> &matches = mDocument.filterMatches();
    const std::vector<bool> hidden = mDocument.hiddenPoints();
    std::vector<int> points;
    for (int i = 0; i < mDocument.pointCount(); ++i)
        if ((matches.empty() || matches[size_t(i)]) && (hidden.empty() || !hidden[size_t(i)]))
            points.push_back(i);
    select(points, mDocument.view().filter.isEmpty() ? tr("Select All") : tr("Select Matching Filter"));
}

void SelectionActions::invertSelection()
{
    std::vector<bool> selected(size_t(mDocument.pointCount()), false);
    for (int point : mDocument.selectedPoints())
        selected[size_t(point)] = true;
    const std::vector<bool> hidden = mDocument.hiddenPoints();
    std::vector<int> inverse;
    for (size_t i = 0; i < selected.size(); ++i)
        if (!selected[i] && (hidden.empty() || !hidden[i]))
            inverse.push_back(int(i));
    select(inverse, tr("Invert Selection"));
}

void SelectionActions::filterToSelection()
{
    if (mDocument.zoo() && !mDocument.selection().empty())
        mDocument.setFilter(QString::fromStdString(selectionExpression(mDocument.zoo()->zoo(), mDocument.selection())));
}

void SelectionActions::isolateSelection()
{
    mDocument.setIsolated(true);
}

void SelectionActions::addMenu()
{
    QMenu *menu = mWindow->menuBar()->addMenu(tr("&Edit"));
    QAction *undo = undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    menu->addAction(undo);
    menu->addAction(redo);
    menu->addSeparator();
    action(menu, tr("Select &All Matching the Filter"), QKeySequence::SelectAll, [this] { selectMatchingFilter(); });
    action(menu, tr("Select &None"), QKeySequence(tr("Ctrl+Shift+A")),
                    [this] { select({}, tr("Select None")); });
    action(menu, tr("&Invert Selection"), QKeySequence(tr("Ctrl+I")), [this] { invertSelection(); });
    menu->addSeparator();
    action(menu, tr("&Isolate Selection"), QKeySequence(tr("Ctrl+Shift+I")), [this] { isolateSelection(); });
    action(menu, tr("&Show All Points"), QKeySequence(tr("Ctrl+Shift+H")), [this] { mDocument.setIsolated(false); });
    action(menu, tr("Use Selection as &Filter"), QKeySequence(tr("Ctrl+Shift+F")), [this] { filterToSelection(); });
    menu->addSeparator();
    action(menu, tr("Sa&ve Selection As..."), QKeySequence(tr("Ctrl+Alt+S")), [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(mWindow, tr("Save Selection"), tr("Name of the selection:"), QLineEdit::Normal,
                                                   tr("selection %1").arg(savedSelections().size() + 1), &ok);
        if (ok)
            saveSelection(name);
    });
    QMenu *savedMenu = menu->addMenu(tr("Saved Selec&tions"));
    QMenu *removeMenu = menu->addMenu(tr("Remo&ve Saved Selection"));
    connect(menu, &QMenu::aboutToShow, this, [this, savedMenu, removeMenu] {
        savedMenu->clear();
        removeMenu->clear();
        for (const WorkspaceSelection &saved : savedSelections()) {
            const QString name = QString::fromStdString(saved.name);
            savedMenu->addAction(tr("%1 (%2 checkpoints)").arg(name).arg(saved.checkpoints.size()), this,
                                 [this, name] { restoreSelection(name); });
            removeMenu->addAction(name, this, [this, name] { removeSelection(name); });
        }
        savedMenu->setEnabled(!savedSelections().empty());
        removeMenu->setEnabled(!savedSelections().empty());
    });
    menu->addSeparator();
    auto *tools = new QActionGroup(this);
    QAction *box = action(menu, tr("&Box Selection (Shift+Drag)"), QKeySequence(tr("Ctrl+Shift+B")),
                                   [this] { mView->setSelectionTool(SelectionTool::Box); });
    QAction *lasso = action(menu, tr("&Lasso Selection (Shift+Drag)"), QKeySequence(tr("Ctrl+Shift+L")),
                                     [this] { mView->setSelectionTool(SelectionTool::Lasso); });
    for (QAction *tool : {box, lasso}) {
        tool->setCheckable(true);
        tools->addAction(tool);
    }
    box->setChecked(true);
    QAction *help = menu->addAction(tr("Shift+Drag selects · Ctrl adds · Alt removes · Ctrl+Alt intersects"));
    help->setEnabled(false);
}

} // namespace wse
