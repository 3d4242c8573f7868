#include "selection/selectionactions.h"

#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/mapcolumns.h"
#include "map/mapview.h"

#include "analysis/selection.h"

#include <QActionGroup>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QUndoCommand>
#include <QUndoStack>

namespace wse {

namespace {

// Selections are kept as zoo checkpoints, so undo and redo work on any map of the zoo.
class SelectionCommand : public QUndoCommand
{
public:
    SelectionCommand(MainWindow &window, std::vector<int64_t> after, const QString &text)
        : QUndoCommand(text), mWindow(window), mBefore(window.selectedCheckpoints()), mAfter(std::move(after))
    {}
    void redo() override { mWindow.selectCheckpoints(mAfter); }
    void undo() override { mWindow.selectCheckpoints(mBefore); }

private:
    MainWindow &mWindow;
    std::vector<int64_t> mBefore, mAfter;
};

template <typename Function>
QAction *action(QMenu *menu, const QString &text, const QKeySequence &shortcut, Function function)
{
    QAction *added = menu->addAction(text);
    added->setShortcut(shortcut);
    QObject::connect(added, &QAction::triggered, menu, function);
    return added;
}

} // namespace

// Adds (or with `remove`, takes away) a named selection of the workspace.
class SavedSelectionCommand : public QUndoCommand
{
public:
    SavedSelectionCommand(SelectionActions &owner, WorkspaceSelection selection, bool remove)
        : QUndoCommand(remove ? QObject::tr("Remove Selection \"%1\"").arg(QString::fromStdString(selection.name))
                              : QObject::tr("Save Selection \"%1\"").arg(QString::fromStdString(selection.name))),
          mOwner(owner), mSelection(std::move(selection)), mRemove(remove)
    {}
    void redo() override { apply(mRemove); }
    void undo() override { apply(!mRemove); }

private:
    void apply(bool remove)
    {
        std::vector<WorkspaceSelection> &saved = mOwner.mSaved;
        saved.erase(std::remove_if(saved.begin(), saved.end(), [&](const WorkspaceSelection &s) { return s.name == mSelection.name; }),
                    saved.end());
        if (!remove)
            saved.push_back(mSelection);
    }

    SelectionActions &mOwner;
    WorkspaceSelection mSelection;
    bool mRemove;
};

SelectionActions::SelectionActions(MainWindow &window, MapView *view)
    : QObject(&window), mWindow(window), mView(view), mUndo(new QUndoStack(this))
{
    connect(view, &MapView::selectionDragged, this,
            [this](const std::vector<int> &points) { select(points, tr("Select on the Map")); });
    addMenu();
}

void SelectionActions::select(std::vector<int> points, const QString &what)
{
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    if (points == mView->selection() || !mWindow.document())
        return;
    std::vector<int64_t> checkpoints;
    for (int point : points)
        checkpoints.push_back(mWindow.document()->checkpointOf(mWindow.mapSource(), point));
    mUndo->push(new SelectionCommand(mWindow, std::move(checkpoints), what));
}

void SelectionActions::setSavedSelections(std::vector<WorkspaceSelection> saved)
{
    mUndo->clear(); // another zoo: earlier steps do not apply
    mSaved = std::move(saved);
}

bool SelectionActions::saveSelection(const QString &name)
{
    const std::vector<int64_t> checkpoints = mWindow.selectedCheckpoints();
    if (name.trimmed().isEmpty() || checkpoints.empty())
        return false;
    mUndo->push(new SavedSelectionCommand(*this, WorkspaceSelection{name.trimmed().toStdString(), checkpoints}, false));
    return true;
}

bool SelectionActions::restoreSelection(const QString &name)
{
    for (const WorkspaceSelection &saved : mSaved)
        if (saved.name == name.toStdString()) {
            mUndo->push(new SelectionCommand(mWindow, saved.checkpoints, tr("Select \"%1\"").arg(name)));
            return true;
        }
    return false;
}

bool SelectionActions::removeSelection(const QString &name)
{
    for (const WorkspaceSelection &saved : mSaved)
        if (saved.name == name.toStdString()) {
            mUndo->push(new SavedSelectionCommand(*this, saved, true));
            return true;
        }
    return false;
}

void SelectionActions::selectMatchingFilter()
{
    const ZooDocument *document = mWindow.document();
    if (!document)
        return;
    const std::vector<int64_t> &checkpoints = document->map(mWindow.mapSource()).checkpoints;
    std::vector<bool> matches(checkpoints.size(), true);
    if (!mWindow.filter().isEmpty())
        matches = filterMask(document->zoo(), checkpoints, mWindow.filter().toStdString());
    std::vector<int> points;
    for (size_t i = 0; i < matches.size(); ++i)
        if (matches[i] && !mView->isHidden(int(i)))
            points.push_back(int(i));
    select(points, mWindow.filter().isEmpty() ? tr("Select All") : tr("Select Matching Filter"));
}

void SelectionActions::filterToSelection()
{
    const std::vector<int64_t> checkpoints = mWindow.selectedCheckpoints();
    if (mWindow.document() && !checkpoints.empty())
        mWindow.setFilter(QString::fromStdString(selectionExpression(mWindow.document()->zoo(), checkpoints)));
}

void SelectionActions::isolateSelection()
{
    if (mView->selection().empty())
        return;
    std::vector<bool> hidden(size_t(mView->pointCount()), true);
    for (int point : mView->selection())
        hidden[size_t(point)] = false;
    mView->setHiddenPoints(hidden);
}

void SelectionActions::addMenu()
{
    QMenu *menu = mWindow.menuBar()->addMenu(tr("&Edit"));
    QAction *undo = mUndo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = mUndo->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    menu->addAction(undo);
    menu->addAction(redo);
    menu->addSeparator();
    action(menu, tr("Select &All Matching the Filter"), QKeySequence::SelectAll, [this] { selectMatchingFilter(); });
    action(menu, tr("Select &None"), QKeySequence(tr("Ctrl+Shift+A")),
                    [this] { select({}, tr("Select None")); });
    action(menu, tr("&Invert Selection"), QKeySequence(tr("Ctrl+I")), [this] {
        std::vector<bool> selected(size_t(mView->pointCount()), false);
        for (int point : mView->selection())
            selected[size_t(point)] = true;
        std::vector<int> inverse;
        for (int i = 0; i < mView->pointCount(); ++i)
            if (!selected[size_t(i)] && !mView->isHidden(i))
                inverse.push_back(i);
        select(inverse, tr("Invert Selection"));
    });
    menu->addSeparator();
    action(menu, tr("&Isolate Selection"), QKeySequence(tr("Ctrl+Shift+I")), [this] { isolateSelection(); });
    action(menu, tr("&Show All Points"), QKeySequence(tr("Ctrl+Shift+H")), [this] { mView->setHiddenPoints({}); });
    action(menu, tr("Use Selection as &Filter"), QKeySequence(tr("Ctrl+Shift+F")), [this] { filterToSelection(); });
    menu->addSeparator();
    action(menu, tr("Sa&ve Selection As..."), QKeySequence(tr("Ctrl+Alt+S")), [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(&mWindow, tr("Save Selection"), tr("Name of the selection:"), QLineEdit::Normal,
                                                   tr("selection %1").arg(mSaved.size() + 1), &ok);
        if (ok)
            saveSelection(name);
    });
    QMenu *savedMenu = menu->addMenu(tr("Saved Selec&tions"));
    QMenu *removeMenu = menu->addMenu(tr("Remo&ve Saved Selection"));
    connect(menu, &QMenu::aboutToShow, this, [this, savedMenu, removeMenu] {
        savedMenu->clear();
        removeMenu->clear();
        for (const WorkspaceSelection &saved : mSaved) {
            const QString name = QString::fromStdString(saved.name);
            savedMenu->addAction(tr("%1 (%2 checkpoints)").arg(name).arg(saved.checkpoints.size()), this,
                                 [this, name] { restoreSelection(name); });
            removeMenu->addAction(name, this, [this, name] { removeSelection(name); });
        }
        savedMenu->setEnabled(!mSaved.empty());
        removeMenu->setEnabled(!mSaved.empty());
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
