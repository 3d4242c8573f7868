// Every edit of the view made with the window's controls is one step of the document's undo stack:
// colouring column, scale and range, size-by, filter, hidden legend categories, map and 2-D/3-D.
// One row per edit, on one window (the fixture, opened once; the edits accumulate): undo restores
// the exact view before the edit and redo the one after it; typing a filter in two goes is one step.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "mainwindow.h"
#include "panels/legendwidget.h"
#include "panels/mapcontrols.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidgetItem>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <functional>

using namespace wse;
using wse::test::openScripted;

using ControlEdit = std::function<void(MainWindow &)>;
Q_DECLARE_METATYPE(ControlEdit)

namespace {

void choose(QComboBox *box, const QString &text)
{
    const int index = box->findText(text);
    QVERIFY2(index >= 0, qPrintable(text));
    box->setCurrentIndex(index);
    Q_EMIT box->activated(index); // as a user's choice does
}

void typeFilter(QLineEdit *edit, const QString &text)
{
    edit->setText(text);
    QTest::keyClick(edit, Qt::Key_Return);
}

} // namespace

class TestViewHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    std::unique_ptr<MainWindow> mWindow;

    QString view() const { return mWindow->explorer()->viewJson(false); }

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        mWindow = std::make_unique<MainWindow>();
        QVERIFY(openScripted(*mWindow, test::writeClustersZoo(mDir)));
        QCOMPARE(mWindow->explorer()->undoStack()->count(), 0); // opening is no edit
    }
    void cleanupTestCase() { mWindow.reset(); }

    void eachControlEditIsOneExactStep_data()
    {
        QTest::addColumn<ControlEdit>("edit");
        QTest::newRow("colour by a category") << ControlEdit([](MainWindow &w) { choose(w.mapControls()->colourBox, "init"); });
        QTest::newRow("hide a legend category")
            << ControlEdit([](MainWindow &w) { w.mapControls()->legend->item(1)->setCheckState(Qt::Unchecked); });
        QTest::newRow("colour by a number") << ControlEdit([](MainWindow &w) { choose(w.mapControls()->colourBox, "test_acc"); });
        QTest::newRow("diverging scale with a fixed range") << ControlEdit([](MainWindow &w) {
            MapControls *controls = w.mapControls();
            choose(controls->scaleBox, "diverging"); // scale and range in a row: one step
            controls->rangeMinimum->setText("0.2");
            controls->rangeMaximum->setText("0.6");
            Q_EMIT controls->rangeMaximum->editingFinished();
        });
        QTest::newRow("filter typed in two goes") << ControlEdit([](MainWindow &w) {
            typeFilter(w.mapControls()->filterEdit, "epoch > 0");
            typeFilter(w.mapControls()->filterEdit, "epoch > 1"); // typing on: the same step
        });
        QTest::newRow("size by") << ControlEdit([](MainWindow &w) { choose(w.mapControls()->sizeBox, "train_acc"); });
        QTest::newRow("2-D map") << ControlEdit([](MainWindow &w) { w.findChild<QAction *>("flatMap")->setChecked(true); });
        QTest::newRow("another map")
            << ControlEdit([](MainWindow &w) { choose(w.mapControls()->mapBox, w.mapControls()->mapBox->itemText(1)); });
        QTest::newRow("clear the filter") << ControlEdit([](MainWindow &w) { w.mapControls()->filterEdit->clear(); });
    }
    void eachControlEditIsOneExactStep()
    {
        QFETCH(ControlEdit, edit);
        QUndoStack *undo = mWindow->explorer()->undoStack();
        const int steps = undo->count();
        const QString before = view();
        edit(*mWindow);
        const QString after = view();
        QVERIFY2(after != before, qPrintable(after));
        QCOMPARE(undo->count(), steps + 1);
        QVERIFY(mWindow->isWindowModified()); // view edits are unsaved work
        undo->undo();
        QCOMPARE(view(), before);
        undo->redo();
        QCOMPARE(view(), after);
    }

    // The controls show what an undo restores.
    void controlsFollowUndo()
    {
        MapControls *controls = mWindow->mapControls();
        QUndoStack *undo = mWindow->explorer()->undoStack();
        while (undo->canUndo())
            undo->undo();
        QCOMPARE(controls->filterEdit->text(), QString());
        QVERIFY(controls->legend->hiddenCategories().isEmpty());
        QCOMPARE(controls->colourBox->currentText(), mWindow->colouringColumn());
        QCOMPARE(controls->sizeBox->currentIndex(), 0);
        QVERIFY(!mWindow->findChild<QAction *>("flatMap")->isChecked());
        while (undo->canRedo())
            undo->redo();
        QCOMPARE(controls->sizeBox->currentText(), QString("train_acc"));
        QCOMPARE(controls->mapBox->currentIndex(), 1);
        QVERIFY(mWindow->findChild<QAction *>("flatMap")->isChecked());
        QVERIFY(controls->colourOptions().fixedRange);
    }
};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestViewHistory test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_viewhistory.moc"
