// The explorer's document on its own (no window): every edit of the view, the selection, labels,
// named selections and bookmarks emits its change events, is one undo step, and undo and redo
// restore the exact state before and after it. Edits made in pieces merge into one step; edits the
// zoo cannot take change nothing.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <functional>
#include <set>

using namespace wse;
using Type = ChangeEvent::Type;
Q_DECLARE_METATYPE(ChangeEvent)

namespace {

using Edit = std::function<bool(ExplorerDocument &)>;

// One edit: what it does, and the events it must announce (others may follow, e.g. a colouring
// change also re-announces which points are hidden).
struct EditCase
{
    Edit edit;
    std::set<Type> events;
    Edit before = [](ExplorerDocument &) { return true; }; // setup, not under test
};

QString fullState(const ExplorerDocument &document)
{
    return document.viewJson(true) + " labels " +
           QString::fromStdString(document.labelsOf({0, 1, 2, 3}).front() + document.labelsOf({0, 1, 2, 3}).back()) +
           QStringLiteral(" saved %1 bookmarks %2").arg(document.savedSelections().size()).arg(document.bookmarks().size());
}

std::set<Type> eventsOf(const QSignalSpy &spy)
{
    std::set<Type> events;
    for (const QList<QVariant> &arguments : spy)
        events.insert(arguments.at(0).value<ChangeEvent>().type);
    return events;
}

} // namespace

Q_DECLARE_METATYPE(EditCase)

class TestDocument : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mZooPath;

    std::unique_ptr<ExplorerDocument> openDocument()
    {
        auto document = std::make_unique<ExplorerDocument>();
        document->open(ZooDocument::load(mZooPath));
        return document;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ChangeEvent>();
        mZooPath = test::writeClustersZoo(mDir);
    }

    void everyEditIsOneStepThatUndoesExactly_data()
    {
        QTest::addColumn<EditCase>("edit");
        QTest::newRow("map") << EditCase{[](auto &d) { return d.setMapSource(MapSource::WeightStatistics); },
                                          {Type::Map, Type::Colouring, Type::Selection, Type::Current, Type::Labels}};
        QTest::newRow("layout") << EditCase{[](auto &d) { return d.setLayoutMethod(ProjectionMethod::Umap); }, {Type::Layout}};
        QTest::newRow("colour by") << EditCase{[](auto &d) { return d.colourBy("init"); }, {Type::Colouring, Type::Hidden}};
        ColourOptions diverging;
        diverging.scale = ColourScale::Diverging;
        diverging.fixedRange = true;
        diverging.maximum = 0.5;
        QTest::newRow("colour scale and range")
            << EditCase{[diverging](auto &d) { d.setColourOptions(diverging); return true; }, {Type::Colouring}};
        QTest::newRow("size by") << EditCase{[](auto &d) { return d.setSizeBy("train_acc"); }, {Type::SizeBy}};
        QTest::newRow("filter") << EditCase{[](auto &d) { return d.setFilter("epoch > 0"); }, {Type::Filter, Type::Colouring}};
        QTest::newRow("hide categories")
            << EditCase{[](auto &d) { d.setHiddenCategories({"init_1"}); return true; }, {Type::Hidden},
                        [](auto &d) { return d.colourBy("init"); }};
        QTest::newRow("2-D") << EditCase{[](auto &d) { d.setFlat(true); return true; }, {Type::Flat}};
        QTest::newRow("select") << EditCase{[](auto &d) { d.selectPoints({0, 5, 7}, "three"); return true; }, {Type::Selection}};
        QTest::newRow("isolate") << EditCase{[](auto &d) { d.setIsolated(true); return true; }, {Type::Hidden},
                                             [](auto &d) { d.selectPoints({1, 2}, "two"); return true; }};
        QTest::newRow("label") << EditCase{[](auto &d) { d.setLabels({0, 3}, {"good", "good"}, "label"); return true; },
                                           {Type::Labels, Type::Colouring},
                                           [](auto &d) { return d.colourBy("label"); }};
        QTest::newRow("save selection") << EditCase{[](auto &d) { return d.saveSelection("pair"); }, {Type::SavedSelections},
                                                    [](auto &d) { d.selectPoints({1, 2}, "two"); return true; }};
        QTest::newRow("bookmark") << EditCase{[](auto &d) { return d.addBookmark("view 1"); }, {Type::Bookmarks}};
        QTest::newRow("show bookmark")
            << EditCase{[](auto &d) { return d.showBookmark("flat"); }, {Type::Flat, Type::Selection},
                        [](auto &d) {
                            d.setFlat(true);
                            d.selectPoints({4}, "one");
                            d.addBookmark("flat");
                            d.setFlat(false);
                            d.selectPoints({}, "none");
                            return true;
                        }};
    }

    void everyEditIsOneStepThatUndoesExactly()
    {
        QFETCH(EditCase, edit);
        std::unique_ptr<ExplorerDocument> document = openDocument();
        QVERIFY(edit.before(*document));
        QUndoStack *undo = document->undoStack();
        const int steps = undo->count();
        const QString before = fullState(*document);
        QSignalSpy changes(document.get(), &ExplorerDocument::changed);

        QVERIFY(edit.edit(*document));
        const QString after = fullState(*document);
        QVERIFY2(after != before, qPrintable(after));
        QCOMPARE(undo->count(), steps + 1);
        const std::set<Type> announced = eventsOf(changes);
        for (Type expected : edit.events)
            QVERIFY2(announced.count(expected), qPrintable(QStringLiteral("event %1 missing").arg(int(expected))));

        changes.clear();
        undo->undo();
        QCOMPARE(fullState(*document), before);
        for (Type expected : edit.events) // undo announces the same kinds of change
            QVERIFY2(eventsOf(changes).count(expected), qPrintable(QStringLiteral("undo: event %1 missing").arg(int(expected))));
        undo->redo();
        QCOMPARE(fullState(*document), after);
    }

    void typingMergesIntoOneStep()
    {
        std::unique_ptr<ExplorerDocument> document = openDocument();
        QUndoStack *undo = document->undoStack();
        QVERIFY(document->setFilter("epoch > 0"));
        QVERIFY(document->setFilter("epoch > 1"));
        QCOMPARE(undo->count(), 1);
        QVERIFY(document->setFilter(""));
        QCOMPARE(undo->count(), 0); // typed back to where it began: no step
        QVERIFY(document->colourBy("init"));
        QVERIFY(document->colourBy("seed"));
        QCOMPARE(undo->count(), 2); // choosing columns does not merge: each choice undoes alone
    }

    void whatTheZooCannotTakeChangesNothing()
    {
        std::unique_ptr<ExplorerDocument> document = openDocument();
        QVERIFY(document->setFilter("epoch > 0"));
        QSignalSpy changes(document.get(), &ExplorerDocument::changed);
        const QString before = document->viewJson();
        QVERIFY(!document->setFilter("no_such_column > 1"));
        QVERIFY(document->filterError().contains("no_such_column"));
        QCOMPARE(eventsOf(changes), std::set<Type>{Type::Filter}); // the message is shown; the filter stays
        QCOMPARE(document->viewJson(), before);
        QVERIFY(!document->colourBy("no_such_column"));
        QVERIFY(!document->setSizeBy("init")); // text: nothing to size by
        QCOMPARE(document->viewJson(), before);
        QCOMPARE(document->undoStack()->count(), 1);
        QVERIFY(document->setFilter("epoch > 1"));
        QVERIFY(document->filterError().isEmpty());
    }

    void selectionHoldsOnEveryMap()
    {
        std::unique_ptr<ExplorerDocument> document = openDocument();
        document->selectPoints({0, 5, 7}, "three");
        const std::vector<int64_t> checkpoints = document->selection();
        document->setCurrentPoint(5);
        const int64_t current = document->currentCheckpoint();
        QVERIFY(document->setMapSource(MapSource::WeightStatistics));
        QCOMPARE(document->selection(), checkpoints);
        QCOMPARE(document->selectedPoints().size(), size_t(3));
        for (int point : document->selectedPoints())
            QVERIFY(std::count(checkpoints.begin(), checkpoints.end(), document->checkpointOf(point)));
        QCOMPARE(document->checkpointOf(document->currentPoint()), current);
        QCOMPARE(document->currentNeighbours().size(), size_t(5));
    }

    void openingClearsTheHistory()
    {
        std::unique_ptr<ExplorerDocument> document = openDocument();
        QVERIFY(document->colourBy("init"));
        document->selectPoints({1}, "one");
        document->open(ZooDocument::load(mZooPath));
        QCOMPARE(document->undoStack()->count(), 0);
        QVERIFY(document->selection().empty());
        QCOMPARE(document->view().colourBy, QString("init")); // the choice of column carries over
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    TestDocument test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_document.moc"
