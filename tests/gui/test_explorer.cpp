// The explorer as a person uses it, under Xvfb: open a zoo, see the points in the expected
// colours, click a point and read its model in the details panel, survive re-parenting, and
// render a screenshot from the command line.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "document/filedrop.h"
#include "document/zoodocument.h"
#include "glcheck.h"
#include "filemenu.h"
#include "mainwindow.h"
#include "selection/bookmarkactions.h"
#include "selection/selectionactions.h"
#include "startpage.h"
#include "map/layoutcontroller.h"
#include "map/colouring.h"
#include "map/mapmenu.h"
#include "map/mapview.h"
#include "map/vectorfigure.h"
#include "panels/checkpointtable.h"
#include "panels/detailspanel.h"
#include "panels/layerpanel.h"
#include "panels/legendwidget.h"
#include "panels/metricchart.h"
#include "viewport/vtkopenglwidget.h"
#include "common/error.h"
#include "common/pythonoracle.h"
#include "generate/generatemenu.h"
#include "generate/generationcontroller.h"
#include "sane/sanetrainer.h"
#include "training/zootrainer.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QTableView>
#include <QLabel>
#include <QStatusBar>
#include <QUndoStack>
#include <QPainter>
#include <QSvgRenderer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wse;
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
        const QString problem = checkOpenGl();
        if (!problem.isEmpty())
            QSKIP(qPrintable("no OpenGL 3.2 (run under xvfb-run): " + problem));
        mZooPath = mDir.filePath("clusters.h5");
        ZooStore::write(test::makeSyntheticZoo(3, 4, 3), mZooPath.toStdString());
        QStandardPaths::setTestModeEnabled(true); // the job centre's settings stay out of the user's
    }

    void opensZooAndDrawsPointsInTheirColours()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(mZooPath);
        QVERIFY(loaded.wait(20000));
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
        QVERIFY(window.mapView()->widgetPositionOf(7) != pcaPosition);
        QVERIFY2(quality->text().startsWith("Trustworthiness 0."), qPrintable(quality->text()));
        QCOMPARE(window.colouringColumn(), QString("init"));
        for (size_t category = 0; category < 3; ++category) // colours survive the new layout (UMAP packs clusters tightly)
            QVERIFY(countColour(window.mapView()->viewport()->grabFramebuffer(), categoricalColour(category)) > 5);
        const QPoint umapPosition = window.mapView()->widgetPositionOf(7);

        // Back to PCA and to UMAP again: both are kept, nothing is recomputed.
        window.setLayoutMethod(ProjectionMethod::Pca);
        QVERIFY(!window.layouts()->isRunning());
        window.setLayoutMethod(ProjectionMethod::Umap);
        QVERIFY(!window.layouts()->isRunning());
        QTest::qWait(100);
        QCOMPARE(window.mapView()->widgetPositionOf(7), umapPosition);
        // New UMAP parameters recompute it with them; a wrong key is refused with its name.
        QString error;
        QVERIFY(!setLayoutParameters(window, "n_neighbours=5", &error));
        QVERIFY2(error.contains("n_neighbours"), qPrintable(error));
        ready.clear();
        QVERIFY2(setLayoutParameters(window, "n_neighbors=5 min_dist=0.5 random_state=7", &error), qPrintable(error));
        QVERIFY(ready.wait(30000));
        const Projection *tuned = window.layouts()->layout(MapSource::Weights, ProjectionMethod::Umap);
        QVERIFY(tuned);
        QCOMPARE(tuned->settings.neighbors, 5);
        QCOMPARE(tuned->settings.minDist, 0.5);
        QCOMPARE(tuned->settings.seed, uint64_t(7));

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

        // The zoo moved: the workspace says which file it misses; given the new place it opens.
        const QString moved = mDir.filePath("moved.h5");
        QVERIFY(QFile::rename(zoo, moved));
        QSignalSpy failed(&window, &MainWindow::loadFailed);
        window.openZoo(workspace);
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.last().first().toString().contains("is missing"), qPrintable(failed.last().first().toString()));
        window.openZoo(workspace, {}, moved);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(window.document()->path(), moved);
        window.openZoo(workspace, {}, mDir.filePath("clusters.h5.other"));
        QVERIFY(failed.wait(20000));
    }

    void samplesNetworksOntoTheMapAndExportsThem()
    {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed");
        // A small real zoo (sampling evaluates networks on its dataset) and a tiny SANE encoder.
        ZooTrainOptions training;
        training.inits = {"kaiming_uniform", "uniform"};
        training.activations = {"tanh"};
        training.learningRates = {1e-3};
        training.seeds = {1, 2};
        training.epochs = 2;
        training.trainLimit = 300;
        training.testLimit = 100;
        training.device = "cpu";
        const QString zoo = mDir.filePath("trained.h5");
        trainZoo(training, zoo.toStdString(), {});
        SaneTrainOptions sane;
        sane.zooPath = zoo.toStdString();
        sane.runDir = mDir.filePath("sane-trained").toStdString();
        sane.device = "cpu";
        sane.config = SaneConfig::preset("tiny");
        sane.config.tokenSize = 64;
        sane.config.epochs = 1;
        trainSane(sane, nullptr);

        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(zoo, mDir.filePath("sane-trained/encoder.pt"));
        QVERIFY(loaded.wait(60000));
        QVERIFY(window.setFilter("epoch == 2"));
        QSignalSpy sampled(window.generation(), &GenerationController::generated);
        QSignalSpy failed(window.generation(), &GenerationController::failed);
        SampleOptions options;
        options.count = 4;
        options.keep = 2;
        QString error;
        QVERIFY2(sampleAroundFilter(window, options, &error), qPrintable(error));
        QCOMPARE(window.mapSource(), MapSource::SaneEmbeddings); // generated networks live in the SANE map
        QVERIFY2(sampled.wait(120000), failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        QVERIFY(sampled.first().first().toString().contains("freshly initialised"));
        QCOMPARE(window.mapView()->overlayPointCount(), 4);
        QCOMPARE(window.generation()->networkLabels().size(), 4);
        QVERIFY(window.generation()->networkLabels().join('\n').contains(" · kept"));

        // They follow the map into another layout.
        QSignalSpy ready(window.layouts(), &LayoutController::layoutReady);
        window.setLayoutMethod(ProjectionMethod::Umap);
        QVERIFY(ready.wait(30000));
        QCOMPARE(window.mapView()->overlayPointCount(), 4);
        // The selected checkpoint decoded: its reconstruction joins the map.
        QVERIFY(!decodeSelected(window, &error)); // nothing selected yet
        QVERIFY2(error.contains("Click a checkpoint"), qPrintable(error));
        window.selectPoint(3);
        QVERIFY2(decodeSelected(window, &error), qPrintable(error));
        QVERIFY2(sampled.wait(120000), failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        QVERIFY2(sampled.last().first().toString().contains("R2"), qPrintable(sampled.last().first().toString()));
        QCOMPARE(window.mapView()->overlayPointCount(), 5);
        // Decoded and sampled networks are marked apart.
        QVERIFY(window.mapView()->overlayColours().front() == generatedColour("sampled"));
        QVERIFY(window.mapView()->overlayColours().back() == generatedColour("decoded"));
        QVERIFY(!(generatedColour("decoded") == generatedColour("sampled")));
        window.generation()->exportNetwork("decoded-000", mDir.filePath("decoded.pt"));
        QFile decodedSidecar(mDir.filePath("decoded.pt.json"));
        QVERIFY(decodedSidecar.open(QIODevice::ReadOnly));
        QVERIFY(decodedSidecar.readAll().contains("\"origin\": \"decoded\""));
        // The path between two selected checkpoints: 5 networks, accuracy along the way.
        QVERIFY(!decodeSelectedPath(window, 5, &error));
        QVERIFY2(error.contains("exactly two"), qPrintable(error));
        window.selection()->select({0, 5}, "two");
        QVERIFY2(decodeSelectedPath(window, 5, &error), qPrintable(error));
        QVERIFY2(sampled.wait(120000), failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        QVERIFY2(sampled.last().first().toString().contains("0.500"), qPrintable(sampled.last().first().toString()));
        QCOMPARE(window.mapView()->overlayPointCount(), 10);
        // An empty spot between two points: the nearest checkpoints' latents, blended; it says so.
        const QPoint between = (window.mapView()->widgetPositionOf(0) + window.mapView()->widgetPositionOf(1)) / 2;
        QString how;
        QVERIFY2(decodeSpot(window, between, &error, &how), qPrintable(error));
        QVERIFY2(how.contains("nearest checkpoints"), qPrintable(how));
        QVERIFY2(sampled.wait(120000), failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        QCOMPARE(window.mapView()->overlayPointCount(), 11);
        QVERIFY(window.generation()->generatedSets().back().from.rfind("blend of ", 0) == 0);
        window.setMapSource(MapSource::Weights);
        QCOMPARE(window.mapView()->overlayPointCount(), 0); // another space: not placed

        // Exported as a checkpoint PyTorch loads, with its provenance beside it.
        const QString pt = mDir.filePath("sample.pt");
        window.generation()->exportNetwork("sample-0000", pt);
        test::runPython("import runpy, sys, torch\n"
                        "runpy.run_path(sys.argv[1])['cnn_s'](0.0).load_state_dict(torch.load(sys.argv[2]))\n",
                        {QString(WSE_TEST_DATA) + "/make_official_zoo.py", pt});
        QFile sidecar(pt + ".json");
        QVERIFY(sidecar.open(QIODevice::ReadOnly));
        const QByteArray provenance = sidecar.readAll();
        QVERIFY(provenance.contains("\"anchors\": \"epoch == 2\"") && provenance.contains("\"test_acc\""));
        QVERIFY_THROWS_EXCEPTION(UsageError, window.generation()->exportNetwork("sample-9999", pt));

        // A checkpoint file dropped on the window is embedded and placed on the SANE map.
        QVERIFY(!openDroppedFiles(window, {mDir.filePath("notes.txt")}, &error));
        QVERIFY2(error.contains(".pt"), qPrintable(error));
        QVERIFY2(openDroppedFiles(window, {pt}, &error), qPrintable(error));
        QCOMPARE(window.mapSource(), MapSource::SaneEmbeddings);
        QVERIFY2(sampled.wait(60000), failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        QCOMPARE(window.mapView()->overlayPointCount(), 12);
        QVERIFY(window.generation()->networkLabels().last().endsWith("dropped file"));

        // The workspace keeps them: reopened, they are on the map again and can be exported.
        const QString workspace = mDir.filePath("sampled-workspace.h5");
        QVERIFY(window.saveWorkspace(workspace));
        const Workspace saved = Workspace::read(workspace.toStdString());
        QCOMPARE(saved.generated.size(), size_t(5));
        QCOMPARE(saved.generated[0].evaluations.rowCount(), int64_t(4));
        QCOMPARE(saved.generated[1].kind, std::string("decoded"));
        QVERIFY(saved.generated[0].evaluations.find("test_acc"));
        MainWindow reopened;
        reopened.setInteractive(false);
        reopened.show();
        QSignalSpy reloaded(&reopened, &MainWindow::documentLoaded);
        reopened.openZoo(workspace);
        QVERIFY(reloaded.wait(60000));
        reopened.setMapSource(MapSource::SaneEmbeddings);
        reopened.setLayoutMethod(ProjectionMethod::Pca);
        QCOMPARE(reopened.mapView()->overlayPointCount(), 12);
        reopened.generation()->exportNetwork("sample-0001", mDir.filePath("again.pt"));
        QVERIFY(QFile::exists(mDir.filePath("again.pt.json")));
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
        undo->undo();
        QCOMPARE(window.selectedCheckpoints(), selectedCheckpoints);
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
        QVERIFY(showScripted(reopened));
        QSignalSpy reloaded(&reopened, &MainWindow::documentLoaded);
        reopened.openZoo(workspace);
        QVERIFY(reloaded.wait(20000));
        QCOMPARE(reopened.selectedCheckpoints(), selectedCheckpoints); // the last view's selection
        QCOMPARE(reopened.selection()->savedSelections().size(), size_t(1));
        QVERIFY(reopened.showBookmark("statistics, nothing selected"));
        QCOMPARE(reopened.mapSource(), MapSource::WeightStatistics);
        QVERIFY(reopened.selectedCheckpoints().empty());
        QVERIFY(reopened.selection()->restoreSelection("lasso"));
        QCOMPARE(reopened.selectedCheckpoints(), selectedCheckpoints);
    }

    void tableIsLinkedToTheMap()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(mZooPath);
        QVERIFY(loaded.wait(20000));
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
        table->findChild<QLineEdit *>("tableSearch")->setText("init_2");
        QCOMPARE(table->visibleRows(), 16);
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
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(mZooPath);
        QVERIFY(loaded.wait(20000));
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
        QCOMPARE(layers->layerCount(), int(arch.tensors.size()));
        const float *weights = document->zoo().weights[0].row(int64_t(document->zoo().checkpoints.get("weight_row").number(shown)));
        double squares = 0;
        for (int64_t i = 0; i < arch.tensors[0].numel(); ++i)
            squares += double(weights[i]) * weights[i];
        QCOMPARE(layers->value(QString::fromStdString(arch.tensors[0].key), "norm"), QString::number(std::sqrt(squares), 'g', 4));
        window.selection()->select({0, 17}, "two");
        QVERIFY(layers->heading().contains("compared with"));
        const double cosine = layers->value(QString::fromStdString(arch.tensors[0].key), "cosine").toDouble();
        QVERIFY(cosine >= -1 && cosine <= 1);
        if (!qEnvironmentVariable("WSE_SCREENSHOT_DIR").isEmpty()) {
            window.findChild<QDockWidget *>("layersDock")->raise();
            QTest::qWait(100);
            window.grab().save(qEnvironmentVariable("WSE_SCREENSHOT_DIR") + "/explorer-layers-compare.png");
        }
        window.selection()->select({5, 5}, "one");
        QVERIFY(!layers->heading().contains("compared with"));

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
        QVERIFY(three.startsWith("model_id,epoch,") && three.section('\n', 0, 0).endsWith("pca_x,pca_y,pca_z"));
        window.selection()->select({}, "none");
        QVERIFY(!exportPointsCsv(window, csv, true, &error));

        // A click on empty space clears the selection.
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(map->selectedPoint(), -1);
        QCOMPARE(window.detailsPanel()->rowCount(), 0);
        QVERIFY(map->neighbourPoints().empty());
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
