// Selecting and inspecting on the map as a person does, under Xvfb: box and lasso selections
// with undo across maps, named selections and bookmarks in the workspace, the linked table, a
// clicked checkpoint's details, neighbours, training curve and layers, and points as CSV.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "document/zoodocument.h"
#include "filemenu.h"
#include "glcheck.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "panels/checkpointtable.h"
#include "panels/detailspanel.h"
#include "panels/layerpanel.h"
#include "panels/metricchart.h"
#include "map/vectorfigure.h"
#include "selection/bookmarkactions.h"
#include "selection/labelactions.h"
#include "selection/selectionactions.h"
#include "startpage.h"
#include "viewport/vtkopenglwidget.h"
#include "zoo/zoostore.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QFocusEvent>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace wse;
using wse::test::openScripted;
using wse::test::showScripted;

class TestInspect : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mZooPath;

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        mZooPath = test::writeClustersZoo(mDir);
    }

    void selectingOnTheMapIsUndoableAndBecomesAFilter()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        // Before a zoo is open the start page shows; opening puts the zoo among the recent files.
        QVERIFY(window.startPage()->isVisible());
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(mZooPath);
        QVERIFY(loaded.wait(20000));
        QVERIFY(!window.startPage()->isVisible());
        QVERIFY(recentFiles().contains(QFileInfo(mZooPath).absoluteFilePath()));
        QTest::qWait(100);
        MapView *map = window.mapView();
        QWidget *viewport = map->viewport();
        auto inside = [&](const QPolygonF &outline) {
            std::vector<int> points;
            for (int i = 0; i < map->pointCount(); ++i)
                if (outline.containsPoint(map->widgetPositionOf(i), Qt::OddEvenFill))
                    points.push_back(i);
            return points;
        };
        // (QTest reads QPoint(0, 0) as "the widget's centre": paths start at (1, 1).)
        auto drag = [&](const QVector<QPoint> &path, Qt::KeyboardModifiers modifiers) {
            QTest::mousePress(viewport, Qt::LeftButton, modifiers, path.front());
            for (const QPoint &point : path.mid(1))
                QTest::mouseMove(viewport, point);
            QTest::mouseRelease(viewport, Qt::LeftButton, modifiers, path.back());
        };
        // Shift-drag a box over the left part (its edge in the widest gap between points): exactly
        // the points drawn inside are selected.
        std::vector<int> xs;
        for (int i = 0; i < map->pointCount(); ++i)
            xs.push_back(map->widgetPositionOf(i).x());
        std::sort(xs.begin(), xs.end());
        size_t gap = 1;
        for (size_t i = 1; i < xs.size(); ++i)
            if (xs[i] - xs[i - 1] > xs[gap] - xs[gap - 1])
                gap = i;
        const QRect left(QPoint(1, 1), QPoint((xs[gap] + xs[gap - 1]) / 2, viewport->height() - 1));
        drag({left.topLeft(), left.center(), left.bottomRight()}, Qt::ShiftModifier);
        const std::vector<int> leftPoints = inside(QPolygonF(QRectF(left)));
        QVERIFY(!leftPoints.empty() && int(leftPoints.size()) < map->pointCount());
        QCOMPARE(map->selection(), leftPoints);
        QVERIFY(window.statusBar()->findChildren<QLabel *>().front()->text().contains(
            QString("%1 selected").arg(leftPoints.size())));
        // Ctrl adds a box over the top half; Alt removes it again.
        const QRect top(QPoint(1, 1), QPoint(viewport->width() - 1, viewport->height() / 2));
        drag({top.topLeft(), top.bottomRight()}, Qt::ShiftModifier | Qt::ControlModifier);
        std::vector<int> both = leftPoints, topPoints = inside(QPolygonF(QRectF(top)));
        both.insert(both.end(), topPoints.begin(), topPoints.end());
        std::sort(both.begin(), both.end());
        both.erase(std::unique(both.begin(), both.end()), both.end());
        QCOMPARE(map->selection(), both);
        drag({top.topLeft(), top.bottomRight()}, Qt::ShiftModifier | Qt::AltModifier);
        for (int point : map->selection())
            QVERIFY(std::find(topPoints.begin(), topPoints.end(), point) == topPoints.end());
        // Every step undoes and redoes.
        QUndoStack *undo = window.selection()->undoStack();
        undo->undo();
        QCOMPARE(map->selection(), both);
        undo->undo();
        QCOMPARE(map->selection(), leftPoints);
        undo->redo();
        QCOMPARE(map->selection(), both);
        // A lasso (a triangle around the left half's points).
        map->setSelectionTool(SelectionTool::Lasso);
        const QPolygon triangle({QPoint(1, 1), QPoint(viewport->width() - 1, viewport->height() / 2), QPoint(1, viewport->height() - 1)});
        drag({triangle[0], triangle[1], triangle[2], triangle[0]}, Qt::ShiftModifier);
        QCOMPARE(map->selection(), inside(QPolygonF(triangle)));

        // The selection as a filter matches exactly the selected checkpoints.
        const std::vector<int> lasso = map->selection();
        window.selection()->filterToSelection();
        QVERIFY2(window.filterError().isEmpty(), qPrintable(window.filterError()));
        QCOMPARE(window.matchingPoints(), int(lasso.size()));
        // Another map shows the same checkpoints selected (wherever they are there); a selection
        // made there is undone on the first map.
        const std::vector<int64_t> selectedCheckpoints = window.selectedCheckpoints();
        window.setMapSource(MapSource::WeightStatistics);
        QCOMPARE(map->selection().size(), lasso.size());
        QCOMPARE(window.selectedCheckpoints(), selectedCheckpoints);
        window.selection()->select({0, 1}, "two");
        window.setMapSource(MapSource::Weights);
        QCOMPARE(map->selection().size(), size_t(2));
        undo->undo(); // the map change is a step of its own
        QCOMPARE(window.mapSource(), MapSource::WeightStatistics);
        undo->undo();
        QCOMPARE(window.selectedCheckpoints(), selectedCheckpoints);
        undo->undo(); // back to the first map, with the lasso's points selected
        QCOMPARE(window.mapSource(), MapSource::Weights);
        QCOMPARE(map->selection(), lasso);

        // Named selections and bookmarks are undoable and saved with the workspace.
        QVERIFY(window.selection()->saveSelection("lasso"));
        window.setMapSource(MapSource::WeightStatistics);
        window.selection()->select({}, "none");
        QVERIFY(window.bookmarks()->addBookmark("statistics, nothing selected"));
        undo->undo();
        QVERIFY(window.bookmarks()->bookmarks().empty());
        undo->redo();
        QVERIFY(window.selection()->restoreSelection("lasso"));
        QCOMPARE(window.selectedCheckpoints(), selectedCheckpoints);
        window.setMapSource(MapSource::Weights);
        const QString workspace = mDir.filePath("selections-workspace.h5");
        QString error;
        QVERIFY2(window.saveWorkspace(workspace, &error), qPrintable(error));

        MainWindow reopened;
        QVERIFY(openScripted(reopened, workspace));
        QCOMPARE(reopened.selectedCheckpoints(), selectedCheckpoints); // the last view's selection
        QCOMPARE(reopened.selection()->savedSelections().size(), size_t(1));
        QVERIFY(reopened.showBookmark("statistics, nothing selected"));
        QCOMPARE(reopened.mapSource(), MapSource::WeightStatistics);
        QVERIFY(reopened.selectedCheckpoints().empty());
        QVERIFY(reopened.selection()->restoreSelection("lasso"));
        QCOMPARE(reopened.selectedCheckpoints(), selectedCheckpoints);
    }

    void labelsAreUndoableColourableFilterableAndSaved()
    {
        MainWindow window;
        QVERIFY(openScripted(window, mZooPath));
        QTest::qWait(100);
        MapView *map = window.mapView();
        auto *labels = window.findChild<LabelActions *>();
        QVERIFY(labels);
        QVERIFY(!labels->labelSelection("good")); // nothing selected
        QVERIFY(window.colourBy("label"));        // every zoo can be coloured by its labels
        std::vector<int> first10(10);
        std::iota(first10.begin(), first10.end(), 0);
        window.selection()->select(first10, "ten");
        const QImage before = map->viewport()->grabFramebuffer();
        QVERIFY(window.setFilter("label == \"good\""));
        QCOMPARE(window.matchingPoints(), 0);
        QVERIFY(labels->labelSelection("good")); // the filter's matches follow the labels
        QCOMPARE(window.matchingPoints(), 10);
        QCOMPARE(map->pointGroups().size(), size_t(1));
        QCOMPARE(map->pointGroups().front().name, QString("good"));
        QCOMPARE(map->pointGroups().front().points, first10);
        // The name is drawn at the middle of its points.
        QTest::qWait(50);
        QPointF centre;
        for (int point : first10)
            centre += QPointF(map->widgetPositionOf(point));
        centre /= 10.0;
        auto changedAround = [&](const QImage &a, const QImage &b) {
            int changed = 0;
            const qreal ratio = a.devicePixelRatio();
            for (int y = int((centre.y() - 32) * ratio); y <= int((centre.y() + 4) * ratio); ++y)
                for (int x = int((centre.x() - 30) * ratio); x <= int((centre.x() + 30) * ratio); ++x)
                    if (a.valid(x, y) && a.pixel(x, y) != b.pixel(x, y))
                        ++changed;
            return changed;
        };
        const QImage labelled = map->viewport()->grabFramebuffer();
        QVERIFY2(changedAround(before, labelled) > 100, qPrintable(QString::number(changedAround(before, labelled))));

        // Undo takes the label away (filter matches, map and all), redo gives it back.
        QUndoStack *undo = window.selection()->undoStack();
        undo->undo();
        QCOMPARE(window.matchingPoints(), 0);
        QVERIFY(map->pointGroups().empty());
        undo->redo();
        QCOMPARE(window.matchingPoints(), 10);

        // Relabelling half of them; removing labels of a selection.
        window.selection()->select({0, 1, 2, 3, 4}, "five");
        QVERIFY(labels->labelSelection("bad"));
        QCOMPARE(labels->labelNames(), QStringList({"bad", "good"}));
        QCOMPARE(window.matchingPoints(), 5);
        window.selection()->select({3, 4, 20}, "three");
        QVERIFY(labels->removeSelectionLabels());
        window.selection()->select({20, 21}, "unlabelled");
        QVERIFY(!labels->removeSelectionLabels()); // nothing selected carries a label
        QVERIFY(window.setFilter("label == \"bad\""));
        QCOMPARE(window.matchingPoints(), 3);

        // Figures carry the names; the workspace keeps the labels.
        const QString svg = mDir.filePath("labels.svg");
        writeVectorFigure(*map, svg);
        QFile figure(svg);
        QVERIFY(figure.open(QIODevice::ReadOnly));
        const QByteArray drawn = figure.readAll();
        QVERIFY(drawn.contains(">good<") && drawn.contains(">bad<"));
        const QString workspace = mDir.filePath("labels-workspace.h5");
        QString error;
        QVERIFY2(window.saveWorkspace(workspace, &error), qPrintable(error));
        MainWindow reopened;
        QVERIFY(openScripted(reopened, workspace));
        QCOMPARE(reopened.filter(), QString("label == \"bad\"")); // the last view
        QCOMPARE(reopened.matchingPoints(), 3);
        QVERIFY(reopened.setFilter("label == \"good\""));
        QCOMPARE(reopened.matchingPoints(), 5);
        QCOMPARE(reopened.mapView()->pointGroups().size(), size_t(2));
    }

    void tableIsLinkedToTheMap()
    {
        MainWindow window;
        QVERIFY(openScripted(window, mZooPath));
        auto *table = window.findChild<CheckpointTable *>("checkpointTable");
        QVERIFY(table);
        QCOMPARE(table->visibleRows(), 48);
        const Zoo &zoo = window.document()->zoo();
        auto accuracyOf = [&](int point) {
            return zoo.checkpoints.get("test_acc").number(window.document()->checkpointOf(window.mapSource(), point));
        };
        // Sorted by accuracy (as numbers), best first; the top five rows selected in the table
        // are the map's selection.
        table->sortByColumn("test_acc", false);
        QTableView *view = table->view();
        for (int row = 0; row < 5; ++row)
            view->selectionModel()->select(view->model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        std::vector<int> best = window.mapView()->selection();
        QCOMPARE(best.size(), size_t(5));
        double worstOfBest = 1e9, bestOfRest = -1e9;
        for (int point = 0; point < 48; ++point)
            if (std::find(best.begin(), best.end(), point) != best.end())
                worstOfBest = std::min(worstOfBest, accuracyOf(point));
            else
                bestOfRest = std::max(bestOfRest, accuracyOf(point));
        QVERIFY(worstOfBest >= bestOfRest);
        // ...and back: a selection made elsewhere shows in the table; undo reaches the table too.
        window.selection()->select({1, 2, 3, 40}, "test");
        QCOMPARE(table->selectedPoints(), (std::vector<int>{1, 2, 3, 40}));
        window.selection()->undoStack()->undo();
        QCOMPARE(table->selectedPoints(), best);
        // The filter expression limits the rows when asked; the search box searches every column.
        QVERIFY(window.setFilter("init == \"init_1\""));
        table->findChild<QCheckBox *>("matchingOnly")->setChecked(true);
        QCOMPARE(table->visibleRows(), 16);
        table->findChild<QCheckBox *>("matchingOnly")->setChecked(false);
        auto *search = table->findChild<QLineEdit *>("tableSearch");
        QFocusEvent focusIn(QEvent::FocusIn); // the search index starts building in the background
        QApplication::sendEvent(search, &focusIn);
        search->setText("init_");
        QCOMPARE(table->visibleRows(), 48);
        search->setText("INIT_2"); // any case; typing on narrows
        QCOMPARE(table->visibleRows(), 16);
        search->setText("init_2");
        QCOMPARE(table->visibleRows(), 16);
        search->setText("init_"); // and back widens
        QCOMPARE(table->visibleRows(), 48);
        table->sortByColumn("init", false); // text columns sort as text
        const int initColumn = [&] {
            for (int c = 0; c < view->model()->columnCount(); ++c)
                if (view->model()->headerData(c, Qt::Horizontal).toString() == "init")
                    return c;
            return -1;
        }();
        QCOMPARE(view->model()->index(0, initColumn).data().toString(), QString("init_2"));
        QCOMPARE(view->model()->index(47, initColumn).data().toString(), QString("init_0"));
        search->setText("init_2");
        QCOMPARE(table->visibleRows(), 16);
        QCOMPARE(window.mapView()->selection(), best); // searching the table leaves the map's selection
        QCOMPARE(table->selectedPoints(), best);
        // Activating a row shows its checkpoint.
        const QModelIndex first = view->model()->index(0, 0);
        Q_EMIT view->activated(first);
        const int point = window.mapView()->selectedPoint();
        QVERIFY(point >= 0);
        QCOMPARE(window.detailsPanel()->value("init"), QString("init_2"));
    }

    void clickingAPointShowsItsModel()
    {
        MainWindow window;
        QVERIFY(openScripted(window, mZooPath));
        QTest::qWait(100);

        const ZooDocument *document = window.document();
        MapView *map = window.mapView();
        for (int target : {0, 17, 46}) {
            const QPoint position = map->widgetPositionOf(target);
            QVERIFY(map->viewport()->rect().contains(position));
            QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, position);
            const int picked = map->selectedPoint();
            QVERIFY2(picked >= 0, "a click on a point must select a point");
            // Points can overlap; the picked one must be drawn within a few pixels of the click.
            QVERIFY((map->widgetPositionOf(picked) - position).manhattanLength() <= 6);
            const int64_t checkpoint = document->checkpointOf(window.mapSource(), picked);
            QCOMPARE(window.detailsPanel()->value("model_id"),
                     QString::fromStdString(document->zoo().checkpointValue(checkpoint, "model_id")));
            QCOMPARE(window.detailsPanel()->value("epoch"),
                     QString::fromStdString(document->zoo().checkpointValue(checkpoint, "epoch")));
            QCOMPARE(window.detailsPanel()->value("init"),
                     QString::fromStdString(document->zoo().checkpointValue(checkpoint, "init")));
            QVERIFY2(window.detailsPanel()->value("nearest 1").contains(QRegularExpression("^\\S+:\\d+  \\(")),
                     qPrintable(window.detailsPanel()->value("nearest 1")));
            // Its five nearest neighbours are marked on the map, the nearest first as listed.
            QCOMPARE(map->neighbourPoints().size(), size_t(5));
            const int64_t nearest = document->checkpointOf(window.mapSource(), map->neighbourPoints().front());
            QVERIFY(window.detailsPanel()->value("nearest 1").startsWith(
                QString::fromStdString(document->zoo().checkpointValue(nearest, "model_id") + ":" +
                                       document->zoo().checkpointValue(nearest, "epoch"))));
            // The model's training curve, one point per stored epoch.
            QVERIFY(window.trainingCurve()->metrics().contains("test_acc"));
            const double model = document->zoo().checkpoints.get("model").number(checkpoint);
            int epochs = 0;
            for (int64_t c = 0; c < document->zoo().checkpointCount(); ++c)
                epochs += document->zoo().checkpoints.get("model").number(c) == model;
            QCOMPARE(window.trainingCurve()->pointsOf("test_acc"), epochs);
        }
        // The Layers panel shows the clicked checkpoint's tensors; two selected are compared.
        auto *layers = window.findChild<LayerPanel *>("layerPanel");
        QVERIFY(layers);
        const int64_t shown = document->checkpointOf(window.mapSource(), map->selectedPoint());
        const Architecture &arch = document->zoo().architectures[0];
        QTRY_VERIFY(!layers->heading().contains("reading")); // computed off the GUI thread
        QCOMPARE(layers->layerCount(), int(arch.tensors.size()));
        const float *weights = document->zoo().weights[0].row(int64_t(document->zoo().checkpoints.get("weight_row").number(shown)));
        double squares = 0;
        for (int64_t i = 0; i < arch.tensors[0].numel(); ++i)
            squares += double(weights[i]) * weights[i];
        QCOMPARE(layers->value(QString::fromStdString(arch.tensors[0].key), "norm"), QString::number(std::sqrt(squares), 'g', 4));
        window.selection()->select({0, 17}, "two");
        QTRY_VERIFY(layers->heading().contains("compared with") && !layers->heading().contains("reading"));
        const double cosine = layers->value(QString::fromStdString(arch.tensors[0].key), "cosine").toDouble();
        QVERIFY(cosine >= -1 && cosine <= 1);
        if (!qEnvironmentVariable("WSE_SCREENSHOT_DIR").isEmpty()) {
            window.findChild<QDockWidget *>("layersDock")->raise();
            QTest::qWait(100);
            window.grab().save(qEnvironmentVariable("WSE_SCREENSHOT_DIR") + "/explorer-layers-compare.png");
        }
        window.selection()->select({5, 5}, "one");
        QTRY_VERIFY(!layers->heading().contains("compared with") && !layers->heading().contains("reading"));

        // The points as CSV: all of them, or the selected ones.
        const QString csv = mDir.filePath("points.csv");
        QString error;
        QVERIFY2(exportPointsCsv(window, csv, false, &error), qPrintable(error));
        QFile all(csv);
        QVERIFY(all.open(QIODevice::ReadOnly));
        QCOMPARE(QString(all.readAll()).count('\n'), 49);
        all.close();
        window.selection()->select({3, 9, 11}, "three");
        QVERIFY2(exportPointsCsv(window, csv, true, &error), qPrintable(error));
        QVERIFY(all.open(QIODevice::ReadOnly));
        const QString three = all.readAll();
        QCOMPARE(three.count('\n'), 4);
        QVERIFY2(three.startsWith("checkpoint,label,model_id,epoch,") && three.section('\n', 0, 0).endsWith("pca_x,pca_y,pca_z"),
                 qPrintable(three.section('\n', 0, 0)));
        QVERIFY(three.section('\n', 1, 1).startsWith("3,"));
        window.selection()->select({}, "none");
        QVERIFY(!exportPointsCsv(window, csv, true, &error));

        // A click on empty space clears the selection.
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(map->selectedPoint(), -1);
        QCOMPARE(window.detailsPanel()->rowCount(), 0);
        QVERIFY(map->neighbourPoints().empty());
    }

};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestInspect test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_inspect.moc"
