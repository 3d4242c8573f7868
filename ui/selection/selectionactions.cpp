#include "selection/selectionactions.h"

#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/mapcolumns.h"
#include "map/mapview.h"

#include "analysis/selection.h"

#include <QActionGroup>
#include <QMenuBar>
#include <QUndoCommand>
#include <QUndoStack>

namespace wse {

namespace {

class SelectionCommand : public QUndoCommand
{
public:
    SelectionCommand(MapView *view, std::vector<int> after, const QString &text)
        : QUndoCommand(text), mView(view), mBefore(view->selection()), mAfter(std::move(after))
    {}
    void redo() override { mView->setSelection(mAfter); }
    void undo() override { mView->setSelection(mBefore); }

private:
    MapView *mView;
    std::vector<int> mBefore, mAfter;
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
    if (points != mView->selection())
        mUndo->push(new SelectionCommand(mView, std::move(points), what));
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

void SelectionActions::forgetHistory()
{
    mUndo->clear();
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
