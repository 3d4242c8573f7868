// A new user's first session, all from the start page and the wizards, under Xvfb: grow a zoo on
// the UCI digits, train a SANE encoder on it (the zoo is then embedded and its SANE map shown),
// project it with t-SNE, colour by accuracy, select the best cluster with a box, and sample 10
// networks from it that appear on the map. The sampling job's command, run from a shell, gives the
// same networks. Screenshots of every step go to $WSE_SCREENSHOT_DIR (docs/images/walkthrough-*).
#include "scriptedwindow.h"

#include "document/zoodocument.h"
#include "generate/generatemenu.h"
#include "generate/generationcontroller.h"
#include "glcheck.h"
#include "jobs/jobcentre.h"
#include "mainwindow.h"
#include "map/layoutcontroller.h"
#include "map/mapmenu.h"
#include "map/mapview.h"
#include "map/vectorfigure.h"
#include "selection/labelactions.h"
#include "selection/selectionactions.h"
#include "startpage.h"
#include "viewport/vtkopenglwidget.h"
#include "wizards/newzoowizard.h"
#include "wizards/samplewizard.h"
#include "wizards/trainmenu.h"
#include "wizards/trainsanewizard.h"
#include "zoo/zoostore.h"
#include "preferences/setting.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wse;
using test::showScripted;

namespace {

const char *DigitsFile = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

void check(QListWidget *list, const QStringList &names)
{
    for (int i = 0; i < list->count(); ++i)
        list->item(i)->setCheckState(names.contains(list->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
}

QAction *menuAction(MainWindow &window, const QString &menuTitle, const QString &prefix)
{
    for (QAction *menu : window.menuBar()->actions())
        if (menu->text().remove('&') == menuTitle)
            for (QAction *action : menu->menu()->actions())
                if (action->text().remove('&').startsWith(prefix))
                    return action;
    return nullptr;
}

template <typename Wizard>
Wizard *openedWizard(MainWindow &window)
{
    Wizard *wizard = nullptr;
    [&] { QTRY_VERIFY((wizard = window.findChild<Wizard *>()) && wizard->isVisible()); }();
    return wizard;
}

} // namespace

// A step of the walkthrough needs the ones before it.
#define REQUIRE_EARLIER_STEPS()                                                                      \
    do {                                                                                             \
        if (mStepFailed || (!mWindow && QByteArray(QTest::currentTestFunction()) != "step1_theStartPageGrowsAZoo")) \
            QSKIP("an earlier step failed");                                                        \
    } while (false)

class TestWalkthrough : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mImages = qEnvironmentVariable("WSE_SCREENSHOT_DIR");
    // The walkthrough's fixture: one window and what each step leaves for the next.
    std::unique_ptr<MainWindow> mWindow;
    QString mZooPath;
    std::vector<int64_t> mCluster;
    SampleOptions mOptions;
    JobEntry *mJob = nullptr;
    bool mStepFailed = false;

    void shoot(QWidget *widget, const QString &name)
    {
        if (!mImages.isEmpty())
            widget->grab().save(mImages + "/" + name + ".png");
    }

private Q_SLOTS:
    void cleanup() { mStepFailed = mStepFailed || QTest::currentTestFailed(); }
    void cleanupTestCase() { mWindow.reset(); }

    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        if (!QFile::exists(DigitsFile))
            QSKIP("python3-sklearn (the UCI digits) is not installed");
        QStandardPaths::setTestModeEnabled(true); // recent files and jobs stay out of the user's settings
        wse::openSettings(wse::SettingScope::User)->clear();
        wse::openSettings(wse::SettingScope::Session)->clear();
    }

    // The steps share one window (the fixture); a failed step skips the ones after it.
    void step1_theStartPageGrowsAZoo()
    {
        REQUIRE_EARLIER_STEPS();
        mWindow = std::make_unique<MainWindow>();
        QVERIFY(showScripted(*mWindow));
        QVERIFY(mWindow->startPage()->isVisible());
        shoot(mWindow.get(), "walkthrough-1-start-page");

        // 1. Grow a zoo on the digits: 3 inits x 4 seeds, 5 epochs.
        mWindow->startPage()->findChild<QPushButton *>("startNewZoo")->click();
        auto *zooWizard = openedWizard<NewZooWizard>(*mWindow);
        QVERIFY(zooWizard);
        auto *dataset = zooWizard->findChild<QComboBox *>("dataset");
        dataset->setCurrentIndex(dataset->findData("digits"));
        shoot(zooWizard, "walkthrough-2-new-zoo-dataset");
        zooWizard->next();
        QCOMPARE(zooWizard->currentId(), 1);
        check(zooWizard->findChild<QListWidget *>("inits"), {"kaiming_uniform", "xavier_normal", "uniform"});
        check(zooWizard->findChild<QListWidget *>("activations"), {"relu"});
        zooWizard->findChild<QLineEdit *>("learningRates")->setText("1e-3");
        zooWizard->findChild<QLineEdit *>("seeds")->setText("1 2 3 4");
        QVERIFY2(zooWizard->findChild<QLabel *>("modelsCount")->text().startsWith("12 models"),
                 qPrintable(zooWizard->findChild<QLabel *>("modelsCount")->text()));
        shoot(zooWizard, "walkthrough-3-new-zoo-models");
        zooWizard->next();
        QCOMPARE(zooWizard->currentId(), 2);
        zooWizard->findChild<QSpinBox *>("epochs")->setValue(5);
        mZooPath = mDir.filePath("digits-zoo.h5");
        zooWizard->findChild<QLineEdit *>("output")->setText(mZooPath);
        shoot(zooWizard, "walkthrough-4-new-zoo-run");
        QSignalSpy loaded(mWindow.get(), &MainWindow::documentLoaded);
        zooWizard->button(QWizard::FinishButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(mWindow->document() && mWindow->document()->path() == mZooPath, 180000);
        QCOMPARE(mWindow->document()->zoo().checkpointCount(), int64_t(12 * 6));
        shoot(mWindow.get(), "walkthrough-5-zoo-opened");
    }

    void step2_trainingSaneShowsTheSaneMap()
    {
        REQUIRE_EARLIER_STEPS();
        // 2. Train a SANE encoder on it (Train menu); the zoo is embedded and its SANE map shown.
        QAction *trainSane = menuAction(*mWindow, "Train", "Train SANE");
        QVERIFY(trainSane);
        trainSane->trigger();
        auto *saneWizard = openedWizard<TrainSaneWizard>(*mWindow);
        QVERIFY(saneWizard);
        QCOMPARE(saneWizard->zooPath(), mZooPath);
        saneWizard->findChild<QComboBox *>("preset")->setCurrentText("tiny");
        saneWizard->findChild<QLineEdit *>("epochs")->setText("8");
        shoot(saneWizard, "walkthrough-6-train-sane-encoder");
        saneWizard->next();
        QVERIFY2(saneWizard->currentId() == 1, qPrintable(saneWizard->pageError()));
        saneWizard->findChild<QComboBox *>("device")->setCurrentText("cpu");
        shoot(saneWizard, "walkthrough-7-train-sane-run");
        saneWizard->button(QWizard::FinishButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(mWindow->document() && mWindow->document()->hasMap(MapSource::SaneEmbeddings), 180000);
        QTRY_VERIFY_WITH_TIMEOUT(mWindow->mapSource() == MapSource::SaneEmbeddings, 30000);
    }

    void step3_tsneColouredByAccuracy()
    {
        REQUIRE_EARLIER_STEPS();
        // 3. Project with t-SNE and colour by accuracy.
        QSignalSpy layoutReady(mWindow->layouts(), &LayoutController::layoutReady);
        mWindow->setLayoutMethod(ProjectionMethod::Tsne);
        QTRY_VERIFY_WITH_TIMEOUT(mWindow->layouts()->has(MapSource::SaneEmbeddings, ProjectionMethod::Tsne), 120000);
        QVERIFY(mWindow->colourBy("test_acc"));
        QTest::qWait(200);
        shoot(mWindow.get(), "walkthrough-8-sane-map-tsne-by-accuracy");
    }

    void step4_aBoxSelectsTheBestCluster()
    {
        REQUIRE_EARLIER_STEPS();
        // 4. Select the best cluster: a box around the most accurate checkpoint.
        const ZooDocument *document = mWindow->document();
        const WeightMap &map = document->map(MapSource::SaneEmbeddings);
        int best = 0;
        for (int i = 0; i < int(map.checkpoints.size()); ++i)
            if (document->zoo().checkpoints.get("test_acc").number(map.checkpoints[size_t(i)]) >
                document->zoo().checkpoints.get("test_acc").number(map.checkpoints[size_t(best)]))
                best = i;
        const QPoint centre = mWindow->mapView()->widgetPositionOf(best);
        const QPoint corner(std::max(1, centre.x() - 70), std::max(1, centre.y() - 70));
        QTest::mousePress(mWindow->mapView()->viewport(), Qt::LeftButton, Qt::ShiftModifier, corner);
        QTest::mouseMove(mWindow->mapView()->viewport(), centre);
        QTest::mouseRelease(mWindow->mapView()->viewport(), Qt::LeftButton, Qt::ShiftModifier, centre + (centre - corner));
        QVERIFY(!mWindow->mapView()->selection().empty());
        QVERIFY(std::find(mWindow->mapView()->selection().begin(), mWindow->mapView()->selection().end(), best) != mWindow->mapView()->selection().end());
        QTest::qWait(100);
        shoot(mWindow.get(), "walkthrough-9-best-cluster-selected");
        mCluster = mWindow->selectedCheckpoints();
    }

    void step5_theSampleWizardRefusesBadInput()
    {
        REQUIRE_EARLIER_STEPS();
        // 5. Sample 10 networks from it (Generate menu): bad input is refused on the pages.
        QAction *sample = menuAction(*mWindow, "Generate", "Sample Networks");
        QVERIFY(sample);
        sample->trigger();
        auto *sampleWizard = openedWizard<SampleWizard>(*mWindow);
        QVERIFY(sampleWizard);
        QVERIFY(sampleWizard->findChild<QRadioButton *>("fromSelection")->isChecked());
        QVERIFY2(sampleWizard->findChild<QLabel *>("anchorSummary")->text().startsWith(QString("%1 anchor").arg(mCluster.size())),
                 qPrintable(sampleWizard->findChild<QLabel *>("anchorSummary")->text()));
        sampleWizard->findChild<QLineEdit *>("anchorFilter")->setText("activation == \"tanh\"");
        sampleWizard->next();
        QCOMPARE(sampleWizard->currentId(), 0);
        QVERIFY2(sampleWizard->pageError().contains("No checkpoint matches"), qPrintable(sampleWizard->pageError()));
        shoot(sampleWizard, "walkthrough-10-sample-anchors-refused");
        sampleWizard->findChild<QRadioButton *>("fromSelection")->setChecked(true);
        shoot(sampleWizard, "walkthrough-11-sample-anchors");
        sampleWizard->next();
        QCOMPARE(sampleWizard->currentId(), 1);
        sampleWizard->findChild<QSpinBox *>("count")->setValue(10);
        sampleWizard->findChild<QSpinBox *>("keep")->setValue(12);
        sampleWizard->next();
        QCOMPARE(sampleWizard->currentId(), 1);
        QVERIFY2(sampleWizard->pageError().contains("at most as many"), qPrintable(sampleWizard->pageError()));
        sampleWizard->findChild<QSpinBox *>("keep")->setValue(10);
        QVERIFY(sampleWizard->findChild<QLabel *>("evaluation")->text().contains("digits"));
        shoot(sampleWizard, "walkthrough-12-sample-settings");
        sampleWizard->next();
        QCOMPARE(sampleWizard->currentId(), 2);
        sampleWizard->findChild<QComboBox *>("device")->setCurrentText("cpu");
        QVERIFY(sampleWizard->findChild<QLabel *>("command")->text().startsWith("wse sample --sane"));
        shoot(sampleWizard, "walkthrough-13-sample-run");
        mOptions = sampleWizard->options();
        QCOMPARE(mOptions.count, int64_t(10));
        sampleWizard->button(QWizard::FinishButton)->click();
    }

    void step6_sampledNetworksAppearOnTheMap()
    {
        REQUIRE_EARLIER_STEPS();
        // The job runs in the job centre; the 10 networks appear on the map.
        mJob = nullptr;
        for (JobEntry *entry : jobCentre(*mWindow)->jobs())
            if (entry->spec().kind == JobSpec::Kind::Sample)
                mJob = entry;
        QVERIFY(mJob);
        QTRY_VERIFY_WITH_TIMEOUT(mJob->state() == JobEntry::State::Finished, 180000);
        QVERIFY2(mJob->resultText().contains("freshly initialised"), qPrintable(mJob->resultText()));
        QTRY_VERIFY_WITH_TIMEOUT(mWindow->mapView()->overlayPointCount() == 10, 60000);
        QTest::qWait(200);
        shoot(mWindow.get(), "walkthrough-14-sampled-networks-on-the-map");
        QCOMPARE(mWindow->generation()->networkLabels().size(), 10);
    }

    void step7_theJobsCommandMakesTheSameNetworks()
    {
        REQUIRE_EARLIER_STEPS();
        // The job's command, run from a shell, makes the same networks.
        QString command = mJob->command();
        const QString again = mDir.filePath("again.h5");
        command.replace(QString("-o '%1'").arg(QString::fromStdString(mOptions.output)), QString("-o '%1'").arg(again));
        QCOMPARE(QProcess::execute("/bin/sh", {"-c", command.replace("wse ", QString(WSE_CLI_PATH) + " ") + " >/dev/null 2>&1"}), 0);
        const Zoo gui = ZooStore::read(mOptions.output), cli = ZooStore::read(again.toStdString());
        QCOMPARE(cli.checkpointCount(), gui.checkpointCount());
        for (int64_t c = 0; c < gui.checkpointCount(); ++c)
            QCOMPARE(cli.checkpoints.get("test_acc").number(c), gui.checkpoints.get("test_acc").number(c));
    }

    // The tour of the README's screenshots on the real demo zoo (run.sh makes it; minutes to train,
    // so not in CI): WSE_DEMO_ZOO=build/demo/demo-zoo.h5 WSE_DEMO_SANE=build/demo/sane/encoder.pt.
    void demoZooTour()
    {
        const QString zoo = qEnvironmentVariable("WSE_DEMO_ZOO"), encoder = qEnvironmentVariable("WSE_DEMO_SANE");
        if (zoo.isEmpty() || encoder.isEmpty())
            QSKIP("set WSE_DEMO_ZOO and WSE_DEMO_SANE to take the tour of the demo zoo");
        MainWindow window;
        QVERIFY(showScripted(window));
        window.resize(1400, 900);
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(zoo);
        QVERIFY(loaded.wait(120000));
        shoot(&window, "tour-1-opened");

        // Embed with the encoder (a job), then UMAP, coloured by accuracy and by init.
        QString error;
        QVERIFY2(window.mapActions()->embedOpenZoo(encoder, "auto", "fp32", &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->hasMap(MapSource::SaneEmbeddings), 600000);
        QTRY_VERIFY_WITH_TIMEOUT(window.mapSource() == MapSource::SaneEmbeddings, 30000);
        jobCentre(window)->hide();
        window.setLayoutMethod(ProjectionMethod::Umap);
        QTRY_VERIFY_WITH_TIMEOUT(window.layouts()->has(MapSource::SaneEmbeddings, ProjectionMethod::Umap), 300000);
        QVERIFY(window.colourBy("test_acc"));
        QTest::qWait(300);
        shoot(&window, "tour-2-sane-umap-accuracy");
        QVERIFY(window.colourBy("init"));
        QTest::qWait(300);
        shoot(&window, "tour-3-sane-umap-init");

        // The best checkpoint's cluster: a box around it, narrowed to its dataset and activation.
        const ZooDocument *document = window.document();
        const WeightMap &map = document->map(MapSource::SaneEmbeddings);
        const Column accuracy = document->zoo().checkpointColumn("test_acc");
        int best = 0;
        for (int i = 0; i < int(map.checkpoints.size()); ++i)
            if (accuracy.number(map.checkpoints[size_t(i)]) > accuracy.number(map.checkpoints[size_t(best)]))
                best = i;
        MapView *mapView = window.mapView();
        const QPoint centre = mapView->widgetPositionOf(best);
        const QPoint corner(std::max(1, centre.x() - 50), std::max(1, centre.y() - 50));
        QTest::mousePress(mapView->viewport(), Qt::LeftButton, Qt::ShiftModifier, corner);
        QTest::mouseMove(mapView->viewport(), centre);
        QTest::mouseRelease(mapView->viewport(), Qt::LeftButton, Qt::ShiftModifier, centre + (centre - corner));
        const int64_t bestCheckpoint = map.checkpoints[size_t(best)];
        std::vector<int> cluster;
        for (int point : mapView->selection()) {
            const int64_t c = map.checkpoints[size_t(point)];
            if (document->zoo().checkpointValue(c, "dataset") == document->zoo().checkpointValue(bestCheckpoint, "dataset") &&
                document->zoo().checkpointValue(c, "activation") == document->zoo().checkpointValue(bestCheckpoint, "activation"))
                cluster.push_back(point);
        }
        window.selection()->select(cluster, "cluster");
        QVERIFY(!cluster.empty());
        QVERIFY(window.colourBy("test_acc"));
        window.selectPoint(best);
        QTest::qWait(300);
        shoot(&window, "tour-4-cluster-selected-best-inspected");
        window.findChild<QDockWidget *>("layersDock")->raise();
        QTest::qWait(100);
        shoot(&window, "tour-5-layers");
        window.findChild<QDockWidget *>("detailsDock")->raise();

        // Decode the best checkpoint and an empty spot beside it.
        QSignalSpy generated(window.generation(), &GenerationController::generated);
        QSignalSpy failed(window.generation(), &GenerationController::failed);
        auto why = [&] { return failed.isEmpty() ? QByteArray("timeout") : failed.last().first().toString().toUtf8(); };
        QVERIFY2(window.generate()->decodeCurrent(&error), qPrintable(error));
        QVERIFY2(generated.wait(300000), why().constData());
        QString how;
        QVERIFY2(window.generate()->decodeSpot(centre + QPoint(30, 30), &error, &how), qPrintable(error));
        QVERIFY2(generated.wait(300000), why().constData());
        QTest::qWait(300);
        shoot(&window, "tour-6-decoded-point-and-spot");

        // Sample 10 networks from the cluster with the wizard.
        QAction *sample = menuAction(window, "Generate", "Sample Networks");
        sample->trigger();
        auto *wizard = openedWizard<SampleWizard>(window);
        QVERIFY(wizard);
        wizard->next();
        wizard->findChild<QSpinBox *>("count")->setValue(10);
        wizard->findChild<QSpinBox *>("keep")->setValue(10);
        wizard->next();
        wizard->button(QWizard::FinishButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(mapView->overlayPointCount() == 12, 600000);
        jobCentre(window)->hide();
        QTest::qWait(300);
        shoot(&window, "tour-7-sampled-from-the-cluster");

        // The cluster labelled, every point sized by its accuracy.
        window.selection()->select(cluster, "cluster again");
        QVERIFY(window.findChild<LabelActions *>()->labelSelection("best cluster"));
        QVERIFY(window.explorer()->setSizeBy("test_acc"));
        QCOMPARE(mapView->pointGroups().size(), size_t(1));
        QTest::qWait(300);
        shoot(&window, "tour-9-labelled-and-sized-by-accuracy");

        // A PNG figure of the map for a paper.
        if (!mImages.isEmpty()) {
            ImageOptions options;
            options.size = QSize(1600, 1000);
            options.dpi = 200;
            writeMapImage(*mapView, mImages + "/tour-8-exported-figure.png", options, window.statusSummary());
        }
    }
};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestWalkthrough test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_walkthrough.moc"
