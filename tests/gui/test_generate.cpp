// Networks generated from the map, under Xvfb: sampling around the filter, decoding the clicked
// checkpoint, the path between two and a spot of the SANE map, files dropped on the window; all
// placed on the map in their colours, exported as checkpoints PyTorch loads, kept in the workspace.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "document/filedrop.h"
#include "document/zoodocument.h"
#include "generate/generatemenu.h"
#include "generate/generationcontroller.h"
#include "generate/generationreport.h"
#include "glcheck.h"
#include "mainwindow.h"
#include "map/layoutcontroller.h"
#include "map/mapview.h"
#include "sane/sanetrainer.h"
#include "selection/selectionactions.h"
#include "training/zootrainer.h"
#include "workspace/workspace.h"

#include "common/error.h"

#include <QFontInfo>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wse;
using wse::test::showScripted;

class TestGenerate : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        QStandardPaths::setTestModeEnabled(true);
    }

    void samplesNetworksOntoTheMapAndExportsThem()
    {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed");
        const QString zoo = mDir.filePath("trained.h5");
        test::trainZooAndEncoder(zoo, mDir.filePath("sane-trained"));

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
        QVERIFY2(window.generate()->sampleAroundFilter(options, &error), qPrintable(error));
        QCOMPARE(window.mapSource(), MapSource::SaneEmbeddings); // generated networks live in the SANE map
        QVERIFY2(sampled.wait(120000), failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        QVERIFY(sampled.first().first().toString().contains("freshly initialised"));
        QCOMPARE(window.mapView()->overlayPointCount(), 4);
        QCOMPARE(window.generation()->networkLabels().size(), 4);
        QVERIFY(window.generation()->networkLabels().join('\n').contains(" · kept"));
        // Where they come from: the report's provenance table; coloured by its figures on request.
        QVERIFY(sampled.first().first().toString().contains("provenance: nearest zoo checkpoint"));
        auto *colouringMenu = window.findChild<QMenu *>("generatedColouringMenu");
        QVERIFY(colouringMenu);
        QCOMPARE(size_t(colouringMenu->actions().size()), GenerationController::colouringChoices().size());
        const std::vector<Rgb> byKind = window.mapView()->overlayColours();
        window.generation()->setColouring("nearest_ratio");
        QCOMPARE(window.mapView()->overlayPointCount(), 4);
        QVERIFY(window.mapView()->overlayColours() != byKind);
        for (const Rgb &colour : window.mapView()->overlayColours())
            QVERIFY(!(colour == missingColour())); // every sample has the figure
        QVERIFY(window.generation()->colouringLegend().contains("blue at a zoo checkpoint"));
        if (const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR"); !images.isEmpty())
            window.grab().save(images + "/generated-by-nearest-ratio.png");
        window.generation()->setColouring("");
        QVERIFY(window.mapView()->overlayColours() == byKind);
        // The report in a fixed-width font (the table's columns line up) with a button to colour by it.
        GenerationReport report(sampled.first().first().toString(), *window.generation(), &window);
        report.show();
        QVERIFY(QFontInfo(report.findChild<QPlainTextEdit *>("generationReportText")->font()).fixedPitch());
        if (const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR"); !images.isEmpty())
            report.grab().save(images + "/generation-report.png");
        report.findChild<QPushButton *>("colourByProvenance")->click();
        QCOMPARE(window.generation()->colouring(), std::string("nearest_ratio"));
        window.generation()->setColouring("");
        QVERIFY(GenerationReport::summaryOf(sampled.first().first().toString()).contains("freshly initialised"));
        QVERIFY(!GenerationReport::summaryOf(sampled.first().first().toString()).contains("nearest (weights)"));

        // They follow the map into another layout.
        QSignalSpy ready(window.layouts(), &LayoutController::layoutReady);
        window.setLayoutMethod(ProjectionMethod::Umap);
        QVERIFY(ready.wait(30000));
        QCOMPARE(window.mapView()->overlayPointCount(), 4);
        // The selected checkpoint decoded: its reconstruction joins the map.
        QVERIFY(!window.generate()->decodeCurrent(&error)); // nothing selected yet
        QVERIFY2(error.contains("Click a checkpoint"), qPrintable(error));
        window.selectPoint(3);
        QVERIFY2(window.generate()->decodeCurrent(&error), qPrintable(error));
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
        QVERIFY(!window.generate()->decodeSelectedPath(5, &error));
        QVERIFY2(error.contains("exactly two"), qPrintable(error));
        window.selection()->select({0, 5}, "two");
        QVERIFY2(window.generate()->decodeSelectedPath(5, &error), qPrintable(error));
        QVERIFY2(sampled.wait(120000), failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        QVERIFY2(sampled.last().first().toString().contains("0.500"), qPrintable(sampled.last().first().toString()));
        QCOMPARE(window.mapView()->overlayPointCount(), 10);
        // An empty spot between two points: the nearest checkpoints' latents, blended; it says so.
        const QPoint between = (window.mapView()->widgetPositionOf(0) + window.mapView()->widgetPositionOf(1)) / 2;
        QString how;
        QVERIFY2(window.generate()->decodeSpot(between, &error, &how), qPrintable(error));
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
        QVERIFY2(error.contains("notes.txt is not a zoo, a workspace, a SANE encoder or a network checkpoint"), qPrintable(error));
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

};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestGenerate test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_generate.moc"
