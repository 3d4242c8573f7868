#include "document/viewhistory.h"

#include "mainwindow.h"
#include "panels/legendwidget.h"
#include "panels/mapcontrols.h"
#include "viewstate.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>

#include <QUndoCommand>
#include <QUndoStack>

namespace wse {

namespace {

QString editName(ViewHistory::Edit edit)
{
    switch (edit) {
    case ViewHistory::Edit::Map: return QObject::tr("Change Map");
    case ViewHistory::Edit::Layout: return QObject::tr("Change Layout");
    case ViewHistory::Edit::Colour: return QObject::tr("Colour By");
    case ViewHistory::Edit::ColourOptions: return QObject::tr("Change Colour Scale");
    case ViewHistory::Edit::SizeBy: return QObject::tr("Size By");
    case ViewHistory::Edit::Filter: return QObject::tr("Filter");
    case ViewHistory::Edit::Hidden: return QObject::tr("Hide Categories");
    case ViewHistory::Edit::Flat: return QObject::tr("2D/3D Map");
    case ViewHistory::Edit::Bookmark: return QObject::tr("Show Bookmark");
    }
    return {};
}

// Ids above those of the selection's commands, one per kind of edit.
constexpr int MergeIdBase = 1000;

class ViewStep : public QUndoCommand
{
public:
    ViewStep(ViewHistory &history, ViewHistory::Edit edit, QString before, QString after)
        : QUndoCommand(editName(edit)), mHistory(history), mEdit(edit), mBefore(std::move(before)), mAfter(std::move(after))
    {}

    void redo() override
    {
        if (mDone) // the first redo is the push: the user's edit is already on screen
            mHistory.apply(mAfter);
        mDone = true;
    }
    void undo() override { mHistory.apply(mBefore); }
    int id() const override { return MergeIdBase + int(mEdit); }
    bool mergeWith(const QUndoCommand *other) override
    {
        if (other->id() != id())
            return false;
        mAfter = static_cast<const ViewStep *>(other)->mAfter;
        return true;
    }

private:
    ViewHistory &mHistory;
    ViewHistory::Edit mEdit;
    QString mBefore, mAfter;
    bool mDone = false;
};

} // namespace

ViewHistory::ViewHistory(MainWindow &window, QUndoStack *undo)
    : QObject(&window), mWindow(window), mUndo(undo)
{}

void ViewHistory::watchUserEdits()
{
    MapControls *controls = mWindow.mapControls();
    const auto on = [this](Edit edit) { return [this, edit] { record(edit); }; };
    connect(controls->mapBox, qOverload<int>(&QComboBox::activated), this, on(Edit::Map));
    connect(controls->layoutBox, qOverload<int>(&QComboBox::activated), this, on(Edit::Layout));
    connect(controls->colourBox, qOverload<int>(&QComboBox::activated), this, on(Edit::Colour));
    connect(controls->sizeBox, qOverload<int>(&QComboBox::activated), this, on(Edit::SizeBy));
    connect(controls, &MapControls::colourOptionsChanged, this, on(Edit::ColourOptions));
    connect(controls->filterEdit, &QLineEdit::returnPressed, this, on(Edit::Filter));
    connect(controls->filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            record(Edit::Filter); // the clear button
    });
    connect(controls->legend, &LegendWidget::hiddenCategoriesChanged, this, on(Edit::Hidden));
    for (QAction *flat : mWindow.findChildren<QAction *>("flatMap"))
        connect(flat, &QAction::toggled, this, on(Edit::Flat));
}

void ViewHistory::record(Edit edit)
{
    if (mApplying || !mWindow.document())
        return;
    const QString now = viewStateOf(mWindow, /*withSelection=*/false);
    if (now == mShown)
        return;
    const QString before = mShown;
    mShown = now;
    mUndo->push(new ViewStep(*this, edit, before, now));
}

void ViewHistory::rebase()
{
    mShown = mWindow.document() ? viewStateOf(mWindow, /*withSelection=*/false) : QString();
}

void ViewHistory::apply(const QString &view)
{
    mApplying = true;
    applyViewState(mWindow, view, /*withSelection=*/false);
    mApplying = false;
    mShown = viewStateOf(mWindow, /*withSelection=*/false);
}

} // namespace wse
