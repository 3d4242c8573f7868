// Jobs as Slurm batch jobs, on a real private Slurm cluster (munged, slurmctld and slurmd on
// 127.0.0.1, started by tests/support/slurm-cluster.sh): the Jobs dock writes the batch script,
// submits it, follows the job's output with its progress and opens the result; the job's two
// tasks meet through Slurm's variables. A job outlives the explorer that submitted it and the next
// start follows it again without submitting another; Cancel is scancel, and Resume submits anew.
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "document/zoodocument.h"
#include "jobs/jobcentre.h"
#include "jobs/runnerchoice.h"
#include "jobs/slurmjob.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "training/zootrainer.h"
#include "zoo/zoostore.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace wse;
using wse::test::showScripted;

namespace {

QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// squeue's state of a job ("RUNNING"), empty once Slurm has forgotten it or it ended.
QString queueState(const QString &jobId)
{
    QProcess squeue;
    squeue.start("squeue", {"-h", "-j", jobId, "-o", "%T"});
    squeue.waitForFinished(20000);
    return QString::fromUtf8(squeue.readAllStandardOutput()).trimmed();
}

JobCentre *jobCentre(MainWindow &window) { return window.findChild<JobCentre *>(); }

} // namespace

class TestSlurm : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir{QStringLiteral(QT_TESTCASE_BUILDDIR "/test_slurm-XXXXXX")};
    QString mCluster;   // the private cluster's folder
    QString mSkipWhy;   // why there is no cluster

    Runner slurmRunner(int tasks) const
    {
        Runner runner{Runner::Kind::Slurm, WSE_CLI_PATH};
        runner.processes = tasks;
        runner.slurm.setup = "export WSE_TEST_SETUP=ran";
        return runner;
    }

    static ZooTrainOptions smallZoo(int epochs)
    {
        ZooTrainOptions options;
        options.epochs = epochs;
        options.trainLimit = 200;
        options.testLimit = 100;
        options.inits = {"uniform", "normal"};
        options.populationSize = 1; // two populations: one per task
        options.device = "cpu";
        return options;
    }

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        QStandardPaths::setTestModeEnabled(true);
        if (!test::haveFashionMnist()) {
            mSkipWhy = "dataset-fashion-mnist is not installed";
            return;
        }
        mCluster = mDir.filePath("cluster");
        QProcess start;
        start.start("bash", {WSE_TEST_DATA "/../support/slurm-cluster.sh", "start", mCluster});
        QVERIFY(start.waitForFinished(120000));
        const QString said = QString::fromUtf8(start.readAllStandardOutput()).trimmed();
        if (start.exitCode() == 77) {
            mSkipWhy = said;
            return;
        }
        QVERIFY2(start.exitCode() == 0, qPrintable(said + QString::fromUtf8(start.readAllStandardError())));
        qputenv("SLURM_CONF", said.toUtf8());
        qputenv("WSE_EXECUTABLE", WSE_CLI_PATH);
    }
    void init()
    {
        if (!mSkipWhy.isEmpty())
            QSKIP(qPrintable(mSkipWhy));
    }
    void cleanup() { setDefaultRunner(Runner{}); }
    void cleanupTestCase()
    {
        if (!mCluster.isEmpty())
            QProcess::execute("bash", {WSE_TEST_DATA "/../support/slurm-cluster.sh", "stop", mCluster});
    }

    // A zoo trained by a two-task Slurm job: the command a user could run is srun's, the batch
    // script beside the output runs the setup lines, the tasks meet through Slurm's variables and
    // the zoo opens on the map. (The next test sees wse's progress arrive while a job runs.)
    void zooTrainedAsASlurmJobOpensOnTheMap()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        window.findChild<RunnerChoice *>()->choose(slurmRunner(2));
        const QString output = mDir.filePath("slurm zoo %j.h5");
        JobEntry *job = jobCentre(window)->startZooTraining(smallZoo(1), output);
        QVERIFY2(job->command().startsWith("srun --ntasks=2 --nodes=1 " WSE_CLI_PATH " zoo train"), qPrintable(job->command()));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 120000);
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->path() == output, 30000);
        QCOMPARE(window.document()->zoo().modelCount(), int64_t(2));
        QCOMPARE(window.mapView()->pointCount(), int(window.document()->zoo().checkpointCount()));

        const QString folder = mDir.filePath(".wse-slurm-slurm zoo %j.h5");
        const QString script = readAll(folder + "/job.sbatch");
        QVERIFY2(script.contains("#SBATCH --ntasks=2") && script.contains("export WSE_TEST_SETUP=ran") &&
                     script.contains("srun "),
                 qPrintable(script));
        QCOMPARE(readAll(folder + "/exit-status").trimmed(), QString("0"));
        if (const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR"); !images.isEmpty())
            window.grab().save(images + "/jobs-slurm.png");
        QVERIFY2(readAll(folder + "/err").contains("rank 0 of 2 (slurm"), qPrintable(readAll(folder + "/err")));
        // The same zoo as one process trains with the same threads per process (each population
        // keeps its own random stream).
        QProcess trainer;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("OMP_NUM_THREADS", "1");
        trainer.setProcessEnvironment(environment);
        trainer.start(WSE_CLI_PATH, {"zoo", "train", "--config", output + ".config.json", "-o", mDir.filePath("one process.h5")});
        QVERIFY(trainer.waitForFinished(120000) && trainer.exitCode() == 0);
        const Zoo one = ZooStore::read(mDir.filePath("one process.h5").toStdString()), two = ZooStore::read(output.toStdString());
        QCOMPARE(two.checkpointCount(), one.checkpointCount());
        for (int64_t c = 0; c < one.checkpointCount(); ++c)
            QCOMPARE(two.checkpoints.get("test_loss").number(c), one.checkpoints.get("test_loss").number(c));
    }

    // Submitted on a login host through SSH (here a stand-in for ssh that does what sshd does: the
    // words after "--" joined into one command line for the shell, in the home folder): the host
    // is asked whether it sees the files (it does: used in place), the job is submitted and
    // followed there, and the zoo opens.
    void zooTrainedThroughALoginHost()
    {
        const QString ssh = mDir.filePath("ssh-stand-in.sh");
        QFile file(ssh);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done\nshift\ncd \"$HOME\" && exec sh -c \"$*\"\n");
        file.close();
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
        qputenv("WSE_SSH", ssh.toUtf8());
        MainWindow window;
        QVERIFY(showScripted(window));
        Runner login = slurmRunner(1);
        login.host = "login1";
        const QString output = mDir.filePath("login zoo.h5");
        JobEntry *job = jobCentre(window)->startZooTraining(smallZoo(1), output, login);
        QVERIFY2(job->command().startsWith("ssh login1 srun --ntasks=1"), qPrintable(job->command()));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 120000);
        qunsetenv("WSE_SSH");
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->path() == output, 30000);
        QCOMPARE(window.document()->zoo().modelCount(), int64_t(2));
        QVERIFY(QFileInfo::exists(mDir.filePath(".wse-slurm-login zoo.h5/job.sbatch")));
    }

    // The explorer closes while its Slurm job runs: nothing is asked, the job goes on, and the next
    // start follows the same job (no second submission). Cancel runs scancel; Resume submits
    // again and the zoo finishes whole.
    void slurmJobOutlivesTheExplorerAndCancelsWithScancel()
    {
        const QString output = mDir.filePath("long zoo.h5");
        const QString jobIdFile = mDir.filePath(".wse-slurm-long zoo.h5/job-id");
        ZooTrainOptions options = smallZoo(30);
        options.trainLimit = 2000;
        QString firstId;
        {
            MainWindow window;
            QVERIFY(showScripted(window));
            window.findChild<RunnerChoice *>()->choose(slurmRunner(1));
            JobEntry *job = jobCentre(window)->startZooTraining(options, output);
            QTRY_VERIFY2_WITH_TIMEOUT(job->percent() > 0, qPrintable(job->statusText()), 60000);
            firstId = readAll(jobIdFile).trimmed();
            QVERIFY(!firstId.isEmpty());
            QVERIFY(jobCentre(window)->mayStopRunningJobs()); // no question: the Slurm job goes on
        }
        QCOMPARE(queueState(firstId), QString("RUNNING"));

        MainWindow later;
        QVERIFY(showScripted(later));
        QCOMPARE(jobCentre(later)->jobs().size(), size_t(1));
        JobEntry *job = jobCentre(later)->jobs().front();
        QTRY_VERIFY_WITH_TIMEOUT(job->statusText().contains("following Slurm job " + firstId + " again") || job->percent() > 0, 30000);
        QCOMPARE(job->state(), JobEntry::State::Running);
        QCOMPARE(readAll(jobIdFile).trimmed(), firstId); // the same job, not a second one
        job->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 60000);
        QVERIFY2(job->state() == JobEntry::State::Cancelled, qPrintable(job->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(queueState(firstId).isEmpty(), 30000);

        job->start(); // Resume: a new Slurm job continues from what was kept
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 300000);
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
        QVERIFY(readAll(jobIdFile).trimmed() != firstId);
        QCOMPARE(ZooStore::read(output.toStdString()).checkpointCount(), int64_t(2 * 31));
    }

    // The runner is chosen in the Jobs dock: its Slurm dialog sets what the job asks for, the
    // dock describes it, and a job dialog refuses CUDA for a runner that asks Slurm for no GPU.
    void theDialogChoosesASlurmRunner()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        auto *choice = window.findChild<RunnerChoice *>();
        auto *box = choice->findChild<QComboBox *>("jobRunner");
        QCOMPARE(box->count(), 4);
        bool filled = false;
        QTimer::singleShot(300, this, [&filled] {
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            if (!dialog || dialog->objectName() != "slurmDialog")
                return;
            dialog->findChild<QLineEdit *>("slurmPartition")->setText("gpu");
            dialog->findChild<QLineEdit *>("slurmTime")->setText("4:00:00");
            dialog->findChild<QSpinBox *>("slurmNodes")->setValue(2);
            dialog->findChild<QSpinBox *>("slurmGpus")->setValue(4);
            dialog->findChild<QLineEdit *>("slurmOptions")->setText("--account=proj42  --mem=32G");
            dialog->findChild<QPlainTextEdit *>("slurmSetup")->setPlainText("module load cuda/12.1");
            if (const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR"); !images.isEmpty())
                dialog->grab().save(images + "/slurm-dialog.png");
            filled = true;
            dialog->accept();
        });
        box->setCurrentIndex(3);
        Q_EMIT box->activated(3);
        QVERIFY(filled);
        const Runner &runner = choice->runner();
        QCOMPARE(runner.kind, Runner::Kind::Slurm);
        QCOMPARE(runner.slurm.gpusPerNode, 4);
        QCOMPARE(defaultRunner().toText(), runner.toText()); // remembered for new jobs
        QCOMPARE(slurmRunPrefix(runner), QString("srun --ntasks=1 --nodes=2 --gpus-per-node=4 --partition=gpu "
                                                 "--time=4:00:00 --account=proj42 --mem=32G wse"));
        QVERIFY2(box->currentText().contains("2 nodes, 4 GPUs per node, partition gpu"), qPrintable(box->currentText()));
        QVERIFY(deviceRefusal(runner, "cuda:3").isEmpty());
        Runner noGpu = runner;
        noGpu.slurm.gpusPerNode = 0;
        QVERIFY2(deviceRefusal(noGpu, "cuda").contains("no CUDA device"), qPrintable(deviceRefusal(noGpu, "cuda")));
    }

    // A job sbatch refuses (a partition the cluster lacks) fails with sbatch's own words.
    void refusedSubmissionSaysWhy()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        Runner runner = slurmRunner(1);
        runner.slurm.partition = "no-such-partition";
        JobEntry *job = jobCentre(window)->startZooTraining(smallZoo(1), mDir.filePath("refused.h5"), runner);
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 30000);
        QCOMPARE(job->state(), JobEntry::State::Failed);
        QVERIFY2(job->statusText().contains("invalid partition", Qt::CaseInsensitive), qPrintable(job->statusText()));
    }
};

QTEST_MAIN(TestSlurm)
#include "test_slurm.moc"
