// Every edit of the view is a step of the window's undo stack: colouring column, scale and range,
// size-by, filter, hidden legend categories, map and 2-D/3-D. Undo and redo restore the exact view
// (the view state a bookmark stores); typing a filter in two goes is one step; opening a zoo is none.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "mainwindow.h"
#include "panels/legendwidget.h"
#include "panels/mapcontrols.h"
#include "selection/selectionactions.h"
#include "zoo/zoostore.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidgetItem>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace wse;
using wse::test::openScripted;

class TestViewHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mZooPath;

    static void choose(QComboBox *box, const QString &text)
    {
        const int index = box->findText(text);
        QVERIFY2(index >= 0, qPrintable(text));
        box->setCurrentIndex(index);
        Q_EMIT box->activated(index); // as a user's choice does
    }

    static void typeFilter(QLineEdit *edit, const QString &text)
    {
        edit->setText(text);
        QTest::keyClick(edit, Qt::Key_Return);
    }

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        mZooPath = test::writeClustersZoo(mDir);
    }

    void everyViewEditUndoesAndRedoesExactly()
    {
        MainWindow window;
        QVERIFY(openScripted(window, mZooPath));
        QUndoStack *undo = window.selection()->undoStack();
        QCOMPARE(undo->count(), 0); // opening is no edit
        MapControls *controls = window.mapControls();
        QStringList views = {window.explorer()->viewJson(false)};
        const auto step = [&](const char *what) {
            views << window.explorer()->viewJson(false);
            QVERIFY2(views.back() != views[views.size() - 2], what);
            QCOMPARE(undo->count(), views.size() - 1);
        };

        choose(controls->colourBox, "init");
        step("colour by a category");
        controls->legend->item(1)->setCheckState(Qt::Unchecked); // hide one category
        step("hide a legend category");
        QCOMPARE(controls->legend->hiddenCategories().size(), 1);
        choose(controls->colourBox, "test_acc");
        step("colour by a number");
        choose(controls->scaleBox, "diverging"); // scale and range in a row: one step
        controls->rangeMinimum->setText("0.2");
        controls->rangeMaximum->setText("0.6");
        Q_EMIT controls->rangeMaximum->editingFinished();
        step("diverging scale with a fixed range");
        QVERIFY(controls->colourOptions().fixedRange);
        typeFilter(controls->filterEdit, "epoch > 0");
        typeFilter(controls->filterEdit, "epoch > 1"); // typing on: the same step
        step("filter");
        QCOMPARE(window.filter(), QStringLiteral("epoch > 1"));
        choose(controls->sizeBox, "train_acc");
        step("size by");
        window.findChild<QAction *>("flatMap")->setChecked(true);
        step("2-D map");
        choose(controls->mapBox, controls->mapBox->itemText(1));
        step("another map");

        for (int i = int(views.size()) - 2; i >= 0; --i) {
            undo->undo();
            QCOMPARE(window.explorer()->viewJson(false), views[i]);
        }
        QCOMPARE(window.filter(), QString());
        QVERIFY2(controls->legend->hiddenCategories().isEmpty(), qPrintable(controls->legend->hiddenCategories().join(",") + " " + views[0] + " " + window.explorer()->viewJson(false)));
        for (int i = 1; i < int(views.size()); ++i) {
            undo->redo();
            QCOMPARE(window.explorer()->viewJson(false), views[i]);
        }
        QCOMPARE(window.filter(), QStringLiteral("epoch > 1"));
        QVERIFY(window.isWindowModified()); // view edits are unsaved work
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
