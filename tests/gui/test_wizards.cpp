// The training wizards and the job centre as a person uses them, under Xvfb: each wizard page by
// page with invalid input refused on the page, jobs run to completion (the new zoo or SANE map
// opens), a job's command reproduces its result, and a cancelled job resumes.
#include "scriptedwindow.h"

#include "document/zoodocument.h"
#include "glcheck.h"
#include "jobs/jobcentre.h"
#include "common/pythonoracle.h"
#include "document/filedrop.h"
#include "filemenu.h"
#include "mainwindow.h"
#include "map/mapmenu.h"
#include "training/zootrainer.h"
#include "wizards/newzoowizard.h"
#include "wizards/trainmenu.h"
#include "wizards/trainsanewizard.h"
#include "zoo/zoostore.h"
#include "preferences/setting.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTimer>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtTest>

using namespace wse;
using test::showScripted;

class TestWizards : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        QStandardPaths::setTestModeEnabled(true); // the job centre's settings stay out of the user's
        wse::openSettings(wse::SettingScope::Session)->remove("jobs");
    }

    void newZooWizardRefusesBadInputTrainsAndOpensTheZoo()
    {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed");
        MainWindow window;
        QVERIFY(showScripted(window));
        NewZooWizard *wizard = openNewZooWizard(window);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR");

        // Page 1: CIFAR-10 needs a folder; an empty folder is refused with the missing file named.
        auto *dataset = wizard->findChild<QComboBox *>("dataset");
        dataset->setCurrentIndex(dataset->findData("cifar10"));
        wizard->next();
        QCOMPARE(wizard->currentId(), 0);
        QVERIFY2(wizard->pageError().contains("folder"), qPrintable(wizard->pageError()));
        QTemporaryDir empty;
        wizard->findChild<QLineEdit *>("dataRoot")->setText(empty.path());
        wizard->next();
        QCOMPARE(wizard->currentId(), 0);
        QVERIFY2(wizard->pageError().contains("data_batch_1"), qPrintable(wizard->pageError()));
        if (!images.isEmpty())
            wizard->grab().save(images + "/wizard-new-zoo-1-dataset-error.png");
        dataset->setCurrentIndex(dataset->findData("fashion-mnist"));
        wizard->findChild<QSpinBox *>("trainLimit")->setValue(200);
        wizard->findChild<QSpinBox *>("testLimit")->setValue(100);
        wizard->next();
        QCOMPARE(wizard->currentId(), 1);

        // Page 2: a random search of zero models, and an axis with no value, are refused.
        auto *search = wizard->findChild<QComboBox *>("search");
        search->setCurrentIndex(search->findData("random"));
        wizard->findChild<QSpinBox *>("models")->setValue(0);
        wizard->next();
        QCOMPARE(wizard->currentId(), 1);
        QVERIFY2(wizard->pageError().contains("number of models"), qPrintable(wizard->pageError()));
        search->setCurrentIndex(search->findData("grid"));
        auto *optimizers = wizard->findChild<QListWidget *>("optimizers");
        optimizers->item(0)->setCheckState(Qt::Unchecked);
        wizard->next();
        QCOMPARE(wizard->currentId(), 1);
        QVERIFY2(wizard->pageError().contains("optimizer"), qPrintable(wizard->pageError()));
        optimizers->item(0)->setCheckState(Qt::Checked);
        wizard->findChild<QListWidget *>("activations")->findItems("relu", Qt::MatchExactly).front()->setCheckState(Qt::Checked);
        wizard->findChild<QLineEdit *>("seeds")->setText("1 2");
        QVERIFY2(wizard->findChild<QLabel *>("modelsCount")->text().startsWith("4 models"),
                 qPrintable(wizard->findChild<QLabel *>("modelsCount")->text()));
        if (!images.isEmpty())
            wizard->grab().save(images + "/wizard-new-zoo-2-models.png");
        wizard->next();
        QCOMPARE(wizard->currentId(), 2);

        // Page 3: no output file is refused; the estimate times a probe on this machine.
        wizard->findChild<QSpinBox *>("epochs")->setValue(2);
        wizard->next(); // on the last page next() does nothing; Finish validates
        wizard->button(QWizard::FinishButton)->click();
        QVERIFY(wizard->isVisible());
        QVERIFY2(wizard->pageError().contains("zoo file"), qPrintable(wizard->pageError()));
        const QString output = mDir.filePath("wizard-zoo.h5");
        wizard->findChild<QLineEdit *>("output")->setText(output);
        wizard->findChild<QAbstractButton *>("estimate")->click();
        auto *summary = wizard->findChild<QLabel *>("runSummary");
        QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains("about"), 60000);
        QVERIFY2(summary->text().startsWith("4 models, 12 checkpoints"), qPrintable(summary->text()));
        QVERIFY(wizard->findChild<QLabel *>("command")->text().contains("wse zoo train --config"));
        if (!images.isEmpty())
            wizard->grab().save(images + "/wizard-new-zoo-3-run.png");

        // Finish: the job runs in the job centre and the new zoo opens in the window.
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        wizard->button(QWizard::FinishButton)->click();
        JobCentre *jobs = jobCentre(window);
        QVERIFY(jobs->isVisible());
        QCOMPARE(jobs->jobs().size(), size_t(1));
        JobEntry *job = jobs->jobs().front();
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobEntry::State::Finished, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->path() == output, 30000);
        QCOMPARE(window.document()->zoo().checkpointCount(), int64_t(12));
        if (!images.isEmpty())
            window.grab().save(images + "/wizard-new-zoo-4-job-finished.png");

        // The job's command, run from a shell, makes the same zoo.
        QString command = job->command();
        command.replace(QString("-o '%1'").arg(output), QString("-o '%1'").arg(mDir.filePath("cli-zoo.h5")));
        QCOMPARE(QProcess::execute("/bin/sh", {"-c", command.replace("wse ", QString(WSE_CLI_PATH) + " ") + " 2>/dev/null"}), 0);
        const Zoo gui = ZooStore::read(output.toStdString()), cli = ZooStore::read(mDir.filePath("cli-zoo.h5").toStdString());
        QCOMPARE(cli.checkpointCount(), gui.checkpointCount());
        for (int64_t c = 0; c < gui.checkpointCount(); ++c)
            QCOMPARE(cli.checkpoints.get("test_acc").number(c), gui.checkpoints.get("test_acc").number(c));
    }

    void trainSaneWizardChecksTheSettingsAndOpensTheSaneMap()
    {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed");
        ZooTrainOptions training;
        training.inits = {"kaiming_uniform", "normal"};
        training.seeds = {1, 2, 3, 4, 5};
        training.epochs = 1;
        training.trainLimit = 200;
        training.testLimit = 50;
        training.device = "cpu";
        const QString zoo = mDir.filePath("for-sane.h5");
        trainZoo(training, zoo.toStdString(), {});
        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(zoo);
        QVERIFY(loaded.wait(30000));
        const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR");

        TrainSaneWizard *wizard = openTrainSaneWizard(window);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        QCOMPARE(wizard->zooPath(), zoo); // the open zoo
        wizard->findChild<QComboBox *>("preset")->setCurrentText("tiny");
        // A window longer than the zoo's token sequence is refused on the page, with the limit.
        wizard->findChild<QLineEdit *>("window_size")->setText("100000");
        wizard->next();
        QCOMPARE(wizard->currentId(), 0);
        QVERIFY2(wizard->pageError().contains("window"), qPrintable(wizard->pageError()));
        if (!images.isEmpty())
            wizard->grab().save(images + "/wizard-train-sane-1-window-error.png");
        wizard->findChild<QLineEdit *>("window_size")->setText("8");
        wizard->findChild<QLineEdit *>("token_size")->setText("64");
        wizard->findChild<QLineEdit *>("epochs")->setText("3");
        wizard->next();
        QVERIFY2(wizard->currentId() == 1, qPrintable(wizard->pageError()));
        QVERIFY(wizard->findChild<QLabel *>("summary")->text().contains("parameters"));
        QVERIFY(wizard->runDir().endsWith("for-sane-sane-tiny"));
        wizard->findChild<QComboBox *>("device")->setCurrentText("cpu");
        const QString encoder = wizard->runDir() + "/encoder.pt";
        wizard->button(QWizard::FinishButton)->click();

        // Training runs in the job centre with its loss curves; then the zoo is embedded.
        JobEntry *job = jobCentre(window)->jobs().front();
        QCOMPARE(job->spec().kind, JobSpec::Kind::Sane);
        QVERIFY(job->command().startsWith("wse sane train --zoo"));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobEntry::State::Finished, 120000);
        auto *curves = job->findChild<QChartView *>("lossCurves");
        QVERIFY(curves);
        QCOMPARE(curves->chart()->series().size(), 4);
        QCOMPARE(static_cast<QLineSeries *>(curves->chart()->series().front())->count(), 3); // one point per epoch
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->encoderPath() == encoder &&
                                     window.document()->hasMap(MapSource::SaneEmbeddings), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.mapSource() == MapSource::SaneEmbeddings, 30000); // shown at once
        // The zoo was embedded with the new encoder by a job of its own (progress, Cancel, its command).
        const std::vector<JobEntry *> &all = jobCentre(window)->jobs();
        QVERIFY(std::any_of(all.begin(), all.end(), [&](const JobEntry *entry) {
            return entry->spec().kind == JobSpec::Kind::Embed && entry->spec().config == encoder &&
                   entry->state() == JobEntry::State::Finished && entry->outputPath() == window.document()->sanePath();
        }));
        // Embedding again from the Map menu runs as a job on the chosen device; the SANE map reopens.
        QString error;
        QVERIFY(!window.mapActions()->embedOpenZoo(mDir.filePath("no-encoder.pt"), "cpu", "fp32", &error));
        QVERIFY2(error.contains("No SANE encoder"), qPrintable(error));
        QVERIFY2(window.mapActions()->embedOpenZoo(encoder, "cpu", "fp32", &error), qPrintable(error));
        JobEntry *embedding = jobCentre(window)->jobs().back();
        QCOMPARE(embedding->spec().kind, JobSpec::Kind::Embed);
        QVERIFY(embedding->command().startsWith("wse embed --sane"));
        QTRY_VERIFY_WITH_TIMEOUT(embedding->state() == JobEntry::State::Finished, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->sanePath() == embedding->outputPath(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.mapSource() == MapSource::SaneEmbeddings, 30000);
        QCOMPARE(window.document()->encoderPath(), encoder); // the embeddings remember their encoder

        // An official SANE checkpoint dropped on the window (the official run layout:
        // <trial>/params.json, <trial>/checkpoint_000001/state.pt) embeds the zoo the same way.
        if (test::pythonHas("torch")) {
            const QString trial = mDir.filePath("official-sane");
            test::runPython(R"(
import json, os, sys, torch
ours = torch.load(sys.argv[1]); cfg = json.loads(ours["config"])
os.makedirs(sys.argv[2] + "/checkpoint_000001", exist_ok=True)
json.dump({"ae:i_dim": cfg["token_size"], "ae:d_model": cfg["d_model"], "ae:nhead": cfg["heads"],
           "ae:num_layers": cfg["layers"], "ae:lat_dim": cfg["latent"], "ae:max_positions": cfg["max_positions"],
           "training::windowsize": cfg["window_size"], "ae:transformer_type": "gpt2", "model::compile": True},
          open(sys.argv[2] + "/params.json", "w"))
torch.save({"model": {"_orig_mod." + k: v for k, v in ours["model"].items()}}, sys.argv[2] + "/checkpoint_000001/state.pt")
)",
                            {encoder, trial});
            const QString state = trial + "/checkpoint_000001/state.pt";
            QVERIFY2(openDroppedFiles(window, {state}, &error), qPrintable(error));
            JobEntry *dropped = jobCentre(window)->jobs().back();
            QCOMPARE(dropped->spec().kind, JobSpec::Kind::Embed);
            QVERIFY2(dropped->command().contains("state.pt"), qPrintable(dropped->command()));
            QTRY_VERIFY_WITH_TIMEOUT(dropped->state() == JobEntry::State::Finished, 60000);
            QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->sanePath() == dropped->outputPath(), 60000);
            QTRY_VERIFY_WITH_TIMEOUT(window.mapSource() == MapSource::SaneEmbeddings, 30000);
            QCOMPARE(window.document()->encoderPath(), state);
        }
        if (!images.isEmpty()) {
            window.grab().save(images + "/wizard-train-sane-2-finished.png");
            job->resize(900, 420);
            job->grab().save(images + "/wizard-train-sane-3-loss-curves.png");
        }
    }

    void officialZooFolderIsImportedAsAJob()
    {
        const QString folder = mDir.filePath("official");
        test::runPython(QString("import runpy, sys; sys.argv = ['', '%1']; runpy.run_path('%2', run_name='__main__')")
                            .arg(folder, QString(WSE_TEST_DATA) + "/make_official_zoo.py"));
        MainWindow window;
        QVERIFY(showScripted(window));
        const QString output = mDir.filePath("imported.h5");
        importOfficialFolder(window, folder, output);
        JobEntry *job = jobCentre(window)->jobs().back();
        QCOMPARE(job->spec().kind, JobSpec::Kind::Import);
        QVERIFY(job->command().startsWith("wse zoo import"));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobEntry::State::Finished, 60000);
        // The skipped models are reported with their reasons; the zoo opens.
        QVERIFY2(job->statusText().contains("skipped 3") && job->statusText().contains("NaN in weights"), qPrintable(job->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->path() == output, 30000);
        QVERIFY(window.document()->zoo().modelCount() > 0);
    }

    void spectralMetricsRunAsAJobAndTheZooReopensWithThem()
    {
        const QString zoo = mDir.filePath("imported.h5"); // from officialZooFolderIsImportedAsAJob
        if (!QFile::exists(zoo))
            QSKIP("needs the imported zoo of the test before");
        MainWindow window;
        QVERIFY(showScripted(window));
        window.openZoo(zoo);
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->path() == zoo, 30000);
        QVERIFY(!window.document()->zoo().checkpoints.find("ww_alpha"));
        window.findChild<QAction *>("spectralMetricsAction")->trigger();
        JobEntry *job = jobCentre(window)->jobs().back();
        QCOMPARE(job->spec().kind, JobSpec::Kind::Metrics);
        QVERIFY2(job->command().startsWith("wse zoo metrics --spectral"), qPrintable(job->command()));
        QCOMPARE(JobSpec::fromText(job->spec().toText()).kind, JobSpec::Kind::Metrics); // resumable after a restart
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobEntry::State::Finished, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->zoo().checkpoints.find("ww_alpha"), 30000);
        QCOMPARE(window.document()->path(), zoo);
    }

    void jobIsCancelledAndResumed()
    {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed");
        MainWindow window;
        QVERIFY(showScripted(window));
        ZooTrainOptions options;
        options.seeds = {1, 2, 3};
        options.epochs = 3;
        options.trainLimit = 2000;
        options.testLimit = 200;
        options.device = "cpu";
        const QString output = mDir.filePath("cancelled.h5");
        JobEntry *job = jobCentre(window)->startZooTraining(options, output);
        QTRY_VERIFY_WITH_TIMEOUT(job->percent() > 40, 120000); // into epoch 2: epoch 1 is on disk
        // Closing the window asks first; Cancel keeps the window and the job running.
        window.setInteractive(true);
        bool asked = false;
        QTimer::singleShot(200, &window, [&asked] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            asked = box && box->objectName() == "runningJobsBox" && box->text().contains("1 job");
            if (box)
                box->button(QMessageBox::Cancel)->click();
        });
        QVERIFY(!window.close());
        QVERIFY(asked);
        QCOMPARE(job->state(), JobEntry::State::Running);
        window.setInteractive(false);
        job->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobEntry::State::Cancelled, 60000);
        QVERIFY(job->statusText().contains("cancelled"));
        const Zoo partial = ZooStore::read(output.toStdString());
        QVERIFY(partial.checkpointCount() < 12);
        QVERIFY(partial.checkpointCount() >= 6);
        // A new job centre (the explorer started again) offers the unfinished job.
        {
            JobCentre later;
            QCOMPARE(later.jobs().size(), size_t(1));
            QCOMPARE(later.jobs().front()->state(), JobEntry::State::Interrupted);
        }
        job->start(); // Resume
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobEntry::State::Finished, 120000);
        QCOMPARE(ZooStore::read(output.toStdString()).checkpointCount(), int64_t(12));
        // Resumed to the same result as an uninterrupted run.
        trainZoo(options, mDir.filePath("straight.h5").toStdString(), {});
        const Zoo resumed = ZooStore::read(output.toStdString()), straight = ZooStore::read(mDir.filePath("straight.h5").toStdString());
        for (int64_t c = 0; c < straight.checkpointCount(); ++c)
            QCOMPARE(resumed.checkpoints.get("test_loss").number(c), straight.checkpoints.get("test_loss").number(c));
    }
};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestWizards test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_wizards.moc"
