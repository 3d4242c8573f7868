// The explorer as a person uses it, under Xvfb: open a zoo, see the points in the expected
// colours (scales, ranges, 2D, themes, figures), layouts in the background, workspaces, the SANE
// map, surviving re-parenting, and a screenshot from the command line. Selecting and inspecting
// are in test_inspect, generated networks in test_generate.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "document/zoodocument.h"
#include "filemenu.h"
#include "mainwindow.h"
#include "selection/selectionactions.h"
#include "map/layoutcontroller.h"
#include "map/colouring.h"
#include "map/mapmenu.h"
#include "map/mapview.h"
#include "map/vectorfigure.h"
#include "panels/detailspanel.h"
#include "panels/legendwidget.h"
#include "panels/metricchart.h"
#include "viewport/vtkopenglwidget.h"
#include "common/error.h"
#include "common/pythonoracle.h"
#include "generate/generationcontroller.h"
#include "sane/sanetrainer.h"
#include "training/zootrainer.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QLabel>
#include <QPainter>
#include <QSvgRenderer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wse;
using wse::test::openScripted;
using wse::test::showScripted;

namespace {

// Pixels whose colour has the chromaticity of `colour`: points are shaded spheres, so their
// brightness varies but the direction of the RGB vector stays that of the palette colour.
int countColour(const QImage &image, const Rgb &colour)
{
    const double tr = colour.r, tg = colour.g, tb = colour.b;
    const double targetNorm = std::sqrt(tr * tr + tg * tg + tb * tb);
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            const double r = qRed(p), g = qGreen(p), b = qBlue(p);
            const double norm = std::sqrt(r * r + g * g + b * b);
            if (norm < 40 || (r > 235 && g > 235 && b > 235))
                continue; // too dark to judge, or background
            if ((r * tr + g * tg + b * tb) / (norm * targetNorm) > 0.998)
                ++count;
        }
    return count;
}

int countNonBackground(const QImage &image)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixel(x, y) != qRgb(255, 255, 255))
                ++count;
    return count;
}

} // namespace

class TestExplorer : public QObject
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

    void opensZooAndDrawsPointsInTheirColours()
    {
        MainWindow window;
        QVERIFY(openScripted(window, mZooPath));
        QCOMPARE(window.mapView()->pointCount(), 48);

        QVERIFY(window.colourBy("init"));
        QTest::qWait(100);
        const QImage byInit = window.mapView()->viewport()->grabFramebuffer();
        QVERIFY(countNonBackground(byInit) > 150);
        for (size_t category = 0; category < 3; ++category) // every cluster drawn in its palette colour
            QVERIFY2(countColour(byInit, categoricalColour(category)) > 40,
                     qPrintable(QString("category %1 not visible").arg(category)));
        QCOMPARE(countColour(byInit, categoricalColour(3)), 0);

        // The legend hides and isolates categories.
        LegendWidget *legend = window.findChild<LegendWidget *>("legend");
        QVERIFY(legend);
        legend->isolate("init_1");
        QTest::qWait(100);
        QCOMPARE(window.mapView()->visiblePointCount(), 16);
        QCOMPARE(legend->hiddenCategories(), (QStringList{"init_0", "init_2"}));
        QCOMPARE(countColour(window.mapView()->viewport()->grabFramebuffer(), categoricalColour(0)), 0);
        QVERIFY(countColour(window.mapView()->viewport()->grabFramebuffer(), categoricalColour(1)) > 40);
        legend->showAll();
        QCOMPARE(window.mapView()->visiblePointCount(), 48);

        // The same view as vector figures: every point in its colour, with the legend.
        const QString svg = mDir.filePath("map.svg");
        QString error;
        QVERIFY2(exportFigure(window, svg, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.count("<circle") >= 48 + 3); // points and legend dots
        QVERIFY(svgText.contains("init_1 (16)"));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QImage rendered(renderer.defaultSize(), QImage::Format_RGB32);
        rendered.fill(Qt::white);
        QPainter painter(&rendered);
        renderer.render(&painter);
        painter.end();
        for (size_t category = 0; category < 3; ++category)
            QVERIFY(countColour(rendered, categoricalColour(category)) > 40);
        const QString pdf = mDir.filePath("map.pdf");
        QVERIFY2(exportFigure(window, pdf, &error), qPrintable(error));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly) && pdfFile.read(4) == "%PDF" && pdfFile.size() > 2000);
        QVERIFY(!exportFigure(window, mDir.filePath("no-such-dir/map.svg"), &error));
        // A PNG figure at a chosen size and resolution, on a transparent background, with legend.
        ImageOptions imageOptions;
        imageOptions.size = QSize(1800, 1200);
        imageOptions.dpi = 300;
        imageOptions.transparent = true;
        const QString png = mDir.filePath("figure.png");
        writeMapImage(*window.mapView(), png, imageOptions);
        const QImage figure(png);
        QCOMPARE(figure.size(), QSize(1800, 1200));
        QCOMPARE(figure.dotsPerMeterX(), 11811); // 300 DPI
        QCOMPARE(qAlpha(figure.pixel(1, 1)), 0);
        for (size_t category = 0; category < 3; ++category)
            QVERIFY(countColour(figure.convertToFormat(QImage::Format_RGB32), categoricalColour(category)) > 100);
        QVERIFY_THROWS_EXCEPTION(IoError, writeMapImage(*window.mapView(), mDir.filePath("no-such-dir/f.png"), imageOptions));

        QVERIFY(window.colourBy("test_acc"));
        QTest::qWait(100);
        const QImage byAccuracy = window.mapView()->viewport()->grabFramebuffer();
        QVERIFY(countColour(byAccuracy, viridis(0.0)) > 20); // epoch-0 points, and the colour bar's end
        QVERIFY(countColour(byAccuracy, viridis(1.0)) > 20);
        QVERIFY(!window.colourBy("no_such_column"));
        // A diverging scale and a chosen range (values beyond it clamped); the colour bar follows.
        auto *scale = window.findChild<QComboBox *>("colourScale");
        scale->setCurrentIndex(scale->findData(int(ColourScale::Diverging)));
        QCOMPARE(window.mapView()->colouring().scale, ColourScale::Diverging);
        auto *low = window.findChild<QLineEdit *>("rangeMinimum");
        auto *high = window.findChild<QLineEdit *>("rangeMaximum");
        low->setText("0.5");
        high->setText("0.6");
        Q_EMIT high->editingFinished();
        QCOMPARE(window.mapView()->colouring().minimum, 0.5);
        QCOMPARE(window.mapView()->colouring().maximum, 0.6);
        const Column accuracy = window.document()->zoo().checkpoints.get("test_acc");
        for (int point = 0; point < window.mapView()->pointCount(); ++point) {
            const double value = accuracy.number(window.document()->checkpointOf(window.mapSource(), point));
            if (value >= 0.6)
                QVERIFY(window.mapView()->colouring().colours[size_t(point)] == diverging(1.0));
            if (value <= 0.5)
                QVERIFY(window.mapView()->colouring().colours[size_t(point)] == diverging(0.0));
        }
        QTest::qWait(100);
        QVERIFY(countColour(window.mapView()->viewport()->grabFramebuffer(), diverging(1.0)) > 20);
        low->clear();
        high->clear();
        scale->setCurrentIndex(scale->findData(int(ColourScale::Viridis)));
        QCOMPARE(window.mapView()->colouring().maximum, 0.9);
        // Signed values on a diverging scale are centred on zero: 0 is the neutral middle.
        ColourOptions signedOptions;
        signedOptions.scale = ColourScale::Diverging;
        const Colouring gap = colourBy(Column::numbers("ggap", {-1.0, 0.0, 3.0}), signedOptions);
        QCOMPARE(gap.minimum, -3.0);
        QCOMPARE(gap.maximum, 3.0);
        QVERIFY(gap.colours[1] == diverging(0.5));
        QVERIFY(gap.colours[2] == diverging(1.0));

        // 2D: every point at one depth, seen from above; back in 3D the points are where they were.
        const std::vector<MapView::ProjectedPoint> inDepth = window.mapView()->projectedPoints();
        window.mapView()->setTwoDimensional(true);
        QTest::qWait(100);
        const std::vector<MapView::ProjectedPoint> flat = window.mapView()->projectedPoints();
        for (const MapView::ProjectedPoint &point : flat)
            QVERIFY(std::fabs(point.depth - flat.front().depth) < 1e-6);
        QVERIFY(countColour(window.mapView()->viewport()->grabFramebuffer(), viridis(1.0)) > 20);
        window.mapView()->setTwoDimensional(false);
        QTest::qWait(100);
        const std::vector<MapView::ProjectedPoint> back = window.mapView()->projectedPoints();
        for (size_t i = 0; i < back.size(); ++i)
            QVERIFY(std::fabs(back[i].depth - inDepth[i].depth) < 1e-6);
        // The dark theme darkens the map's background; light brings it back.
        for (const char *theme : {"theme-dark", "theme-light"}) {
            QAction *action = window.findChild<QAction *>(theme);
            QVERIFY(action);
            action->trigger();
            QTest::qWait(100);
            const QRgb corner = window.mapView()->viewport()->grabFramebuffer().pixel(2, 2);
            QCOMPARE(qRed(corner) < 100, QString(theme) == "theme-dark");
            if (QString(theme) == "theme-dark" && !qEnvironmentVariable("WSE_SCREENSHOT_DIR").isEmpty()) {
                window.colourBy("init");
                window.selection()->select({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, "cluster");
                window.mapView()->setTwoDimensional(true);
                QTest::qWait(200);
                window.grab().save(qEnvironmentVariable("WSE_SCREENSHOT_DIR") + "/explorer-dark-2d.png");
                window.mapView()->setTwoDimensional(false);
                window.selection()->select({}, "none");
                window.colourBy("test_acc");
            }
        }

        // The weight-statistics map places the same checkpoints elsewhere and keeps the colouring.
        const QPoint before = window.mapView()->widgetPositionOf(5);
        window.setMapSource(MapSource::WeightStatistics);
        QTest::qWait(100);
        QCOMPARE(window.mapView()->pointCount(), 48);
        QCOMPARE(window.colouringColumn(), QString("test_acc"));
        QVERIFY(window.mapView()->widgetPositionOf(5) != before);
        QVERIFY(countColour(window.mapView()->viewport()->grabFramebuffer(), viridis(1.0)) > 20);
    }

    void layoutsRunInTheBackgroundAndShowTheirQuality()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        QSignalSpy ready(window.layouts(), &LayoutController::layoutReady);
        window.openZoo(mZooPath);
        QVERIFY(loaded.wait(20000));
        QVERIFY(ready.count() > 0 || ready.wait(20000)); // PCA: the quality is measured in the background
        QLabel *quality = window.findChild<QLabel *>("mapQuality");
        QVERIFY(quality);
        QVERIFY2(quality->text().startsWith("Trustworthiness 0."), qPrintable(quality->text()));
        QVERIFY(window.colourBy("init"));
        const QPoint pcaPosition = window.mapView()->widgetPositionOf(7);

        ready.clear();
        window.setLayoutMethod(ProjectionMethod::Umap);
        QVERIFY(window.layouts()->isRunning()); // the GUI thread is free while UMAP runs
        QVERIFY(ready.wait(30000));
        QTest::qWait(100);
        QCOMPARE(window.mapView()->pointCount(), 48);
        QCOMPARE(window.mapView()->trajectoryEmphasis(), MapView::TrajectoryEmphasis::Faint); // lines recede in UMAP
        QVERIFY(window.mapView()->widgetPositionOf(7) != pcaPosition);
        QVERIFY2(quality->text().startsWith("Trustworthiness 0."), qPrintable(quality->text()));
        QCOMPARE(window.colouringColumn(), QString("init"));
        for (size_t category = 0; category < 3; ++category) // colours survive the new layout (UMAP packs clusters tightly)
            QVERIFY(countColour(window.mapView()->viewport()->grabFramebuffer(), categoricalColour(category)) > 5);
        const QPoint umapPosition = window.mapView()->widgetPositionOf(7);

        // Back to PCA and to UMAP again: both are kept, nothing is recomputed.
        window.setLayoutMethod(ProjectionMethod::Pca);
        QVERIFY(!window.layouts()->isRunning());
        QCOMPARE(window.mapView()->trajectoryEmphasis(), MapView::TrajectoryEmphasis::Full);
        window.setLayoutMethod(ProjectionMethod::Umap);
        QVERIFY(!window.layouts()->isRunning());
        QTest::qWait(100);
        QCOMPARE(window.mapView()->widgetPositionOf(7), umapPosition);
        // New UMAP parameters recompute it with them; a wrong key is refused with its name.
        QString error;
        QVERIFY(!window.mapActions()->setLayoutParameters("n_neighbours=5", &error));
        QVERIFY2(error.contains("n_neighbours"), qPrintable(error));
        ready.clear();
        QVERIFY2(window.mapActions()->setLayoutParameters("n_neighbors=5 min_dist=0.5 random_state=7", &error), qPrintable(error));
        QVERIFY(ready.wait(30000));
        const Projection *tuned = window.layouts()->layout(MapSource::Weights, ProjectionMethod::Umap);
        QVERIFY(tuned);
        QCOMPARE(tuned->settings.neighbors, 5);
        QCOMPARE(tuned->settings.minDist, 0.5);
        QCOMPARE(tuned->settings.seed, uint64_t(7));
        // Both UMAPs are kept (Map > Computed Layouts): back to the first, instantly.
        const std::vector<Projection> computed = window.layouts()->finishedLayouts(MapSource::Weights);
        QCOMPARE(computed.size(), size_t(3)); // PCA, UMAP, UMAP with n_neighbors 5
        const auto first = std::find_if(computed.begin(), computed.end(), [](const Projection &p) {
            return p.settings.method == ProjectionMethod::Umap && p.settings.neighbors != 5;
        });
        QVERIFY(first != computed.end());
        window.mapActions()->showLayoutVariant(first->settings);
        QVERIFY(!window.layouts()->isRunning());
        QTest::qWait(100);
        QCOMPARE(window.mapView()->widgetPositionOf(7), umapPosition);

        // Another map source gets its own layout; a started layout can be cancelled.
        window.setLayoutMethod(ProjectionMethod::Tsne);
        window.layouts()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!window.layouts()->isRunning(), 30000);
        QVERIFY2(quality->text() == "Layout cancelled" || quality->text().startsWith("Trustworthiness"), qPrintable(quality->text()));
    }

    void workspaceKeepsLayoutsAndViewAndFindsAMovedZoo()
    {
        const QString zoo = mDir.filePath("for-workspace.h5");
        QFile::copy(mZooPath, zoo);
        const QString workspace = mDir.filePath("session.h5");
        QPoint umapPosition;
        {
            MainWindow window;
            QVERIFY(showScripted(window));
            QSignalSpy loaded(&window, &MainWindow::documentLoaded);
            QSignalSpy ready(window.layouts(), &LayoutController::layoutReady);
            window.openZoo(zoo);
            QVERIFY(loaded.wait(20000));
            window.setMapSource(MapSource::WeightStatistics);
            window.setLayoutMethod(ProjectionMethod::Umap);
            QTRY_VERIFY_WITH_TIMEOUT(!window.layouts()->isRunning(), 30000);
            QVERIFY(window.colourBy("init"));
            QVERIFY(window.setFilter("epoch >= 1"));
            window.selectPoint(9);
            QTest::qWait(100);
            umapPosition = window.mapView()->widgetPositionOf(9);
            QString error;
            QVERIFY2(window.saveWorkspace(workspace, &error), qPrintable(error));
            QCOMPARE(window.workspacePath(), workspace);
        }
        const Workspace saved = Workspace::read(workspace.toStdString());
        QVERIFY(!saved.maps.empty());
        QVERIFY(saved.describe().find("umap of weight-statistics") != std::string::npos);

        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(workspace);
        QVERIFY(loaded.wait(20000));
        // The saved layout and view come back without recomputing anything.
        QCOMPARE(window.mapSource(), MapSource::WeightStatistics);
        QCOMPARE(window.layoutMethod(), ProjectionMethod::Umap);
        QVERIFY(!window.layouts()->isRunning());
        QCOMPARE(window.colouringColumn(), QString("init"));
        QCOMPARE(window.matchingPoints(), 36);
        QCOMPARE(window.mapView()->selectedPoint(), 9);
        QTest::qWait(100);
        QCOMPARE(window.mapView()->widgetPositionOf(9), umapPosition);

        // The saved view from the command line, as a figure.
        const QString png = mDir.filePath("bookmark.png");
        QProcess process;
        process.start(WSE_EXPLORER_PATH, {workspace, "--bookmark", "last view", "--size", "900x600", "--screenshot", png});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(QImage(png).width() == 900);
        process.start(WSE_EXPLORER_PATH, {workspace, "--bookmark", "nope", "--screenshot", png});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY(process.readAllStandardError().contains("no bookmark 'nope'"));

        // The zoo moved beside the workspace: found by its content. Moved elsewhere: the workspace
        // says which file it misses; given the new place it opens.
        const QString beside = mDir.filePath("renamed.h5");
        QVERIFY(QFile::rename(zoo, beside));
        window.openZoo(workspace);
        QVERIFY(loaded.wait(20000));
        const QString found = window.document()->path(); // renamed.h5, or another copy of it there
        QVERIFY(QFileInfo(found).absolutePath() == QFileInfo(beside).absolutePath() && found != zoo);
        QCOMPARE(fileContentHash(found.toStdString()), fileContentHash(beside.toStdString()));
        // A workspace copied to a folder without its zoo (the suite's folder holds copies of it).
        QTemporaryDir elsewhere, lonely;
        const QString moved = elsewhere.filePath("moved.h5"), alone = lonely.filePath("workspace.h5");
        QVERIFY(QFile::rename(beside, moved));
        QVERIFY(QFile::copy(workspace, alone));
        QSignalSpy failed(&window, &MainWindow::loadFailed);
        window.openZoo(alone);
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.last().first().toString().contains("is missing"), qPrintable(failed.last().first().toString()));
        window.openZoo(alone, {}, moved);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(window.document()->path(), moved);
        window.openZoo(alone, {}, mDir.filePath("clusters.h5.other"));
        QVERIFY(failed.wait(20000));
    }

    void saneMapFromAnEncoder()
    {
        SaneTrainOptions training;
        training.zooPath = mZooPath.toStdString();
        training.runDir = mDir.filePath("sane").toStdString();
        training.device = "cpu";
        training.config = SaneConfig::preset("tiny");
        training.config.tokenSize = 64;
        training.config.epochs = 1;
        trainSane(training, nullptr);

        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(mZooPath, mDir.filePath("sane/encoder.pt")); // embeds every checkpoint while loading
        QVERIFY(loaded.wait(30000));
        QVERIFY(window.document()->hasMap(MapSource::SaneEmbeddings));
        window.setMapSource(MapSource::SaneEmbeddings);
        QCOMPARE(window.mapSource(), MapSource::SaneEmbeddings);
        QTest::qWait(100);
        QCOMPARE(window.mapView()->pointCount(), 48);
        MapView *map = window.mapView();
        const QPoint position = map->widgetPositionOf(20);
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, position);
        const int picked = map->selectedPoint();
        QVERIFY(picked >= 0);
        const int64_t checkpoint = window.document()->checkpointOf(MapSource::SaneEmbeddings, picked);
        QCOMPARE(window.detailsPanel()->value("model_id"),
                 QString::fromStdString(window.document()->zoo().checkpointValue(checkpoint, "model_id")));

        // Filters grey out what does not match and point at mistakes.
        QVERIFY(window.setFilter("epoch == 3 && init == \"init_1\""));
        QCOMPARE(window.matchingPoints(), 4); // 4 models of cluster 1 at their last epoch
        QTest::qWait(100);
        QVERIFY(!window.setFilter("epoch >= 1 && tst_acc > 0.5"));
        QVERIFY2(window.filterError().contains("unknown column 'tst_acc' at column 15"), qPrintable(window.filterError()));
        QCOMPARE(window.matchingPoints(), 4); // the previous filter stays
        QVERIFY(window.setFilter({}));
        QCOMPARE(window.matchingPoints(), 48);

        // A zoo opened without an encoder has no SANE map to switch to.
        window.openZoo(mZooPath);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(window.mapSource(), MapSource::Weights);
        window.setMapSource(MapSource::SaneEmbeddings);
        QCOMPARE(window.mapSource(), MapSource::Weights);
        // An encoder that is not one gives a message naming the file.
        QSignalSpy failed(&window, &MainWindow::loadFailed);
        window.openZoo(mZooPath, mZooPath + ".pt");
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().first().toString().contains(".pt"), qPrintable(failed.first().first().toString()));
    }

    void rendersAfterMovingToAnotherWindow()
    {
        // Re-parenting gives the viewport a new GL context; VTK must re-create its resources.
        QWidget first, second;
        auto *map = new MapView(&first);
        first.resize(500, 400);
        map->resize(500, 400);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        const Zoo zoo = test::makeSyntheticZoo(2, 3, 2);
        std::vector<float> xyz;
        for (int i = 0; i < 18; ++i)
            xyz.insert(xyz.end(), {float(i % 6), float(i / 6), 0.0f});
        map->setPoints(xyz);
        map->setColouring(colourBy(zoo.checkpoints.get("test_acc")));
        QTest::qWait(50);
        QVERIFY(countNonBackground(map->viewport()->grabFramebuffer()) > 100);

        map->setParent(&second);
        second.resize(500, 400);
        map->resize(500, 400);
        map->show();
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QTest::qWait(50);
        QVERIFY(countNonBackground(map->viewport()->grabFramebuffer()) > 100);
    }

    void commandLineScreenshot()
    {
        const QString png = mDir.filePath("shot.png");
        QProcess process;
        process.start(WSE_EXPLORER_PATH, {mZooPath, "--color-by", "init", "--size", "900x600", "--screenshot", png});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QImage image(png);
        QCOMPARE(image.size(), QSize(900, 600));
        QVERIFY(countColour(image, categoricalColour(0)) > 40);

        QProcess bad;
        bad.start(WSE_EXPLORER_PATH, {mDir.filePath("missing.h5"), "--screenshot", png});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(bad.readAllStandardError().contains("missing.h5: no such file"));
    }
};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestExplorer test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_explorer.moc"
