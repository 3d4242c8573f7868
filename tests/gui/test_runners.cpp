// Where jobs run and how they end, as a user meets it in the Jobs dock: a job whose wse crashes is
// reported with its last words while the explorer and its document go on; new jobs run on the
// chosen runner — another wse build, or an SSH host (a stand-in for ssh, and a real sshd started
// on 127.0.0.1 with a throwaway key: a zoo trained there in place, and a SANE embedding whose files
// are copied up and its result back, each opening on the map).
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "document/childprojectionjob.h"
#include "document/zoodocument.h"
#include "map/layoutcontroller.h"
#include "jobs/jobcentre.h"
#include "jobs/runnerchoice.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "wizards/newzoowizard.h"
#include "wizards/trainmenu.h"
#include "zoo/zoostore.h"
#include "map/mapmenu.h"
#include "sane/sanetrainer.h"
#include "training/zootrainer.h"

#include <QApplication>
#include <QFile>
#include <QAbstractButton>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QProcess>
#include <QUndoStack>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <pwd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace wse;
using wse::test::showScripted;

namespace {

// A port on 127.0.0.1 that nothing listens on now (the system picks it).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

} // namespace

class TestRunners : public QObject
{
    Q_OBJECT

    // In the build folder: the stand-in scripts run from here (a /tmp mounted noexec cannot run them).
    QTemporaryDir mDir{QStringLiteral(QT_TESTCASE_BUILDDIR "/test_runners-XXXXXX")};

    // An executable script in the test's folder.
    QString script(const QString &name, const QByteArray &text)
    {
        QFile file(mDir.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(text);
        file.close();
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
        return file.fileName();
    }

    static bool haveFashionMnist() { return test::haveFashionMnist(); }

    std::unique_ptr<QProcess> mSshd;

    // Starts sshd on 127.0.0.1 with a throwaway host key and user key (once) and points WSE_SSH at
    // an ssh that reaches it as "zoo-server". Returns why it cannot, or "".
    QString startSshHost()
    {
        if (!QFile::exists("/usr/sbin/sshd"))
            return "openssh-server is not installed (scripts/debian-packages.txt lists it)";
        const QString dir = mDir.path();
        if (!mSshd) {
            const int port = freePort();
            for (const char *key : {"host_key", "user_key"})
                if (QProcess::execute("ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-f", dir + "/" + key}) != 0)
                    return "ssh-keygen failed";
            QFile::copy(dir + "/user_key.pub", dir + "/authorized_keys");
            QFile::setPermissions(dir + "/authorized_keys", QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            QFile::setPermissions(dir + "/user_key", QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            const passwd *account = ::getpwuid(::getuid());
            const QString user = account ? QString::fromLocal8Bit(account->pw_name) : qEnvironmentVariable("USER");
            script("sshd_config", QStringLiteral("Port %1\nListenAddress 127.0.0.1\nHostKey %2/host_key\nAuthorizedKeysFile %2/authorized_keys\n"
                                                 "PasswordAuthentication no\nStrictModes no\nUsePAM no\nPidFile %2/sshd.pid\n")
                                      .arg(port).arg(dir).toUtf8());
            script("ssh_config", QStringLiteral("Host zoo-server\n  HostName 127.0.0.1\n  Port %1\n  User %2\n  IdentityFile %3/user_key\n"
                                                "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n")
                                     .arg(port).arg(user, dir).toUtf8());
            QDir().mkpath("/run/sshd"); // privilege separation, when running as root
            mSshd = std::make_unique<QProcess>();
            mSshd->start("/usr/sbin/sshd", {"-D", "-e", "-f", dir + "/sshd_config"});
            if (!mSshd->waitForStarted(5000) || mSshd->waitForFinished(1500))
                return "could not start sshd: " + QString::fromUtf8(mSshd->readAllStandardError()).trimmed();
        }
        qputenv("WSE_SSH", script("ssh.sh", "#!/bin/sh\nexec ssh -F '" + (dir + "/ssh_config").toUtf8() + "' \"$@\"\n").toUtf8());
        QProcess login; // the environment's part: can this user log in to that sshd at all?
        login.start(qEnvironmentVariable("WSE_SSH"), {"-o", "BatchMode=yes", "zoo-server", "--", "true"});
        if (!login.waitForFinished(20000) || login.exitCode() != 0)
            return "sshd started, but logging in to it failed: " + QString::fromUtf8(login.readAllStandardError()).trimmed();
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        QStandardPaths::setTestModeEnabled(true); // the runner choice stays out of the user's settings
    }
    void cleanup()
    {
        setDefaultRunner(Runner{});
        qunsetenv("WSE_SSH");
        qunsetenv("WSE_PYTHON");
        qputenv("WSE_EXECUTABLE", WSE_CLI_PATH);
        setChildLayoutPoints(20000);
    }
    void cleanupTestCase()
    {
        if (mSshd) {
            mSshd->terminate();
            mSshd->waitForFinished(5000);
        }
    }

    // A job whose wse crashes (here: a stand-in that reports progress, then dies of SIGSEGV) fails
    // in the Jobs dock with how it ended and its last words; the explorer and its session go on.
    void crashedJobIsReportedAndTheExplorerGoesOn()
    {
        MainWindow window;
        QVERIFY(test::openScripted(window, test::writeClustersZoo(mDir)));
        QVERIFY(window.colourBy("init")); // the session holds an edit
        const QString fake = script("crashing-wse.sh",
                                    "#!/bin/sh\n"
                                    "echo '{\"event\":\"progress\",\"fraction\":0.25,\"stage\":\"epoch 1/4\",\"detail\":\"\",\"elapsed_s\":1,\"eta_s\":3}' >&2\n"
                                    "echo 'terminate called after throwing an instance of std::bad_alloc' >&2\n"
                                    "kill -SEGV $$\n");
        qputenv("WSE_EXECUTABLE", fake.toUtf8());
        ZooTrainOptions options;
        options.device = "cpu";
        JobEntry *job = jobCentre(window)->startZooTraining(options, mDir.filePath("never.h5"));
        qputenv("WSE_EXECUTABLE", WSE_CLI_PATH);
        QTRY_VERIFY_WITH_TIMEOUT(job->state() == JobEntry::State::Failed, 30000);
        QVERIFY2(job->statusText().contains("crashed"), qPrintable(job->statusText()));
        QVERIFY2(job->statusText().contains("bad_alloc"), qPrintable(job->statusText()));
        QVERIFY(window.isVisible()); // the explorer and its document go on
        QVERIFY(window.document());
        QCOMPARE(window.colouringColumn(), QString("init"));
        QCOMPARE(window.explorer()->undoStack()->count(), 1);
        QVERIFY(window.isWindowModified());
    }

    // The t-SNE or UMAP of a large map runs `wse project` in a child process (here every map is
    // large): the same layout as computed in the explorer; a layout process that crashes is
    // reported, and the explorer and its map go on.
    void largeMapLayoutsRunInAChildProcess()
    {
        const QString zoo = test::writeClustersZoo(mDir);
        Projection inExplorer;
        {
            MainWindow window;
            QVERIFY(test::openScripted(window, zoo));
            window.setLayoutMethod(ProjectionMethod::Tsne);
            QTRY_VERIFY_WITH_TIMEOUT(window.layouts()->has(MapSource::Weights, ProjectionMethod::Tsne), 60000);
            inExplorer = *window.layouts()->layout(MapSource::Weights, ProjectionMethod::Tsne);
        }
        setChildLayoutPoints(0);
        const QString used = mDir.filePath("layout-processes");
        script("logging-wse.sh", "#!/bin/sh\necho \"$*\" >> '" + used.toUtf8() + "'\nexec '" + QByteArray(WSE_CLI_PATH) + "' \"$@\"\n");
        const QString again = mDir.filePath("clusters again.h5"); // the session kept the first one's layouts
        QVERIFY(QFile::copy(zoo, again));
        MainWindow window;
        QVERIFY(test::openScripted(window, again));
        qputenv("WSE_EXECUTABLE", mDir.filePath("logging-wse.sh").toUtf8()); // after the window chose this build's
        QVERIFY(!window.layouts()->has(MapSource::Weights, ProjectionMethod::Tsne));
        window.setLayoutMethod(ProjectionMethod::Tsne);
        QVERIFY(window.layouts()->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(window.layouts()->has(MapSource::Weights, ProjectionMethod::Tsne), 60000);
        QFile log(used);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY2(log.readAll().contains("project --zoo"), "the layout ran in a wse project process");
        const Projection *separate = window.layouts()->layout(MapSource::Weights, ProjectionMethod::Tsne);
        QVERIFY(separate);
        QCOMPARE(separate->coordinates.size(), inExplorer.coordinates.size());
        for (size_t i = 0; i < separate->coordinates.size(); ++i)
            QVERIFY2(std::abs(separate->coordinates[i] - inExplorer.coordinates[i]) < 1e-3f, qPrintable(QString::number(i)));
        QCOMPARE(separate->quality.trustworthiness, inExplorer.quality.trustworthiness);
        QVERIFY(window.findChild<QLabel *>("mapQuality")->text().startsWith("Trustworthiness 0."));

        // A layout process that dies: reported where the quality goes; the map and session stay.
        qputenv("WSE_EXECUTABLE", script("dying-wse.sh", "#!/bin/sh\necho 'Killed: out of memory' >&2\nkill -KILL $$\n").toUtf8());
        QVERIFY(window.colourBy("init"));
        window.setLayoutMethod(ProjectionMethod::Umap);
        QTRY_VERIFY_WITH_TIMEOUT(!window.layouts()->isRunning(), 30000);
        const QString quality = window.findChild<QLabel *>("mapQuality")->text();
        QVERIFY2(quality.startsWith("Layout failed") && quality.contains("out of memory"), qPrintable(quality));
        QCOMPARE(window.mapView()->pointCount(), 48);
        QCOMPARE(window.colouringColumn(), QString("init"));
    }

    // New jobs run where the Jobs dock says: another wse build, or an SSH host (here a stand-in for
    // ssh that runs the remote command line with a shell, as sshd would); the command shows it.
    void jobsRunOnTheChosenRunner()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        MainWindow window;
        QVERIFY(showScripted(window));
        const QString used = mDir.filePath("used-by");
        const QString build = script("other-wse.sh", "#!/bin/sh\necho build >> '" + used.toUtf8() + "'\nexec '" +
                                                          QByteArray(WSE_CLI_PATH) + "' \"$@\"\n");
        // ssh -o BatchMode=yes HOST -- COMMAND...: the stand-in notes the host and runs COMMAND.
        const QString ssh = script("fake-ssh.sh", "#!/bin/sh\necho \"ssh $3\" >> '" + used.toUtf8() + "'\nshift 4\nexec /bin/sh -c \"$*\"\n");
        auto *runners = window.findChild<RunnerChoice *>();
        QVERIFY(runners);
        ZooTrainOptions options;
        options.epochs = 1;
        options.trainLimit = 200;
        options.testLimit = 100;
        options.device = "cpu";

        runners->choose(Runner{Runner::Kind::Build, build, {}});
        auto *offered = runners->findChild<QLabel *>("jobRunnerNote"); // what that build's `wse devices` says
        QTRY_VERIFY2(offered->text().startsWith("cpu "), qPrintable(offered->text()));
        JobEntry *first = jobCentre(window)->startZooTraining(options, mDir.filePath("by build.h5"));
        QVERIFY2(first->command().startsWith(build + " zoo train"), qPrintable(first->command()));
        QTRY_VERIFY_WITH_TIMEOUT(first->state() == JobEntry::State::Finished, 60000);

        qputenv("WSE_SSH", ssh.toUtf8());
        runners->choose(Runner{Runner::Kind::Ssh, WSE_CLI_PATH, "gpu-box"});
        JobEntry *second = jobCentre(window)->startZooTraining(options, mDir.filePath("by ssh.h5"));
        QVERIFY2(second->command().startsWith("ssh gpu-box "), qPrintable(second->command()));
        QTRY_VERIFY_WITH_TIMEOUT(second->state() != JobEntry::State::Running, 60000);
        QVERIFY2(second->state() == JobEntry::State::Finished, qPrintable(second->statusText()));
        QVERIFY(ZooStore::read(mDir.filePath("by ssh.h5").toStdString()).checkpointCount() > 0);

        QFile log(used);
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QStringList runs = QString::fromUtf8(log.readAll()).split('\n', Qt::SkipEmptyParts);
        QVERIFY2(runs.count("build") >= 2 && runs.contains("ssh gpu-box"), qPrintable(runs.join(","))); // devices, job; job
    }

    // A job on several processes runs under torchrun (PyTorch's launcher): the Jobs dock follows the
    // first process's progress and the zoo opens as from one process.
    void jobRunsOnSeveralProcesses()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        if (QProcess::execute("/usr/bin/python3", {"-c", "import torch.distributed.run"}) != 0)
            QSKIP("python3-torch is not installed");
        qputenv("WSE_PYTHON", "/usr/bin/python3"); // Debian's, with python3-torch
        MainWindow window;
        QVERIFY(showScripted(window));
        Runner two;
        two.processes = 2;
        window.findChild<RunnerChoice *>()->choose(two);
        ZooTrainOptions options;
        options.epochs = 1;
        options.trainLimit = 200;
        options.testLimit = 100;
        options.inits = {"uniform", "normal"};
        options.populationSize = 1; // two populations: one per process
        options.device = "cpu";
        const QString output = mDir.filePath("two processes.h5");
        JobEntry *job = jobCentre(window)->startZooTraining(options, output);
        QVERIFY2(job->command().startsWith("/usr/bin/python3 -m torch.distributed.run --standalone --nproc_per_node 2"),
                 qPrintable(job->command()));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 120000);
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->path() == output, 30000);
        QCOMPARE(window.document()->zoo().modelCount(), int64_t(2));
        QVERIFY(!QFileInfo::exists(output + ".part-1-of-2"));
    }

    // Each job dialog chooses where its job runs, starting from the Jobs dock's default and leaving
    // that default alone; it refuses, on the page, a device that runner lacks, and the job it starts
    // runs there.
    void theDialogChoosesTheRunnerOfItsJob()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        MainWindow window;
        QVERIFY(showScripted(window));
        NewZooWizard *wizard = openNewZooWizard(window);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        wizard->findChild<QSpinBox *>("trainLimit")->setValue(200);
        wizard->findChild<QSpinBox *>("testLimit")->setValue(100);
        wizard->next();
        wizard->findChild<QLineEdit *>("seeds")->setText("1");
        wizard->next();
        QCOMPARE(wizard->currentId(), 2);
        auto *choice = wizard->findChild<RunnerChoice *>();
        QVERIFY(choice);
        QCOMPARE(choice->runner(), defaultRunner()); // starts where the Jobs dock says
        const Runner build{Runner::Kind::Build, WSE_CLI_PATH, {}};
        choice->choose(build);
        QCOMPARE(defaultRunner(), Runner{}); // the default stays
        QVERIFY2(wizard->findChild<QLabel *>("command")->text().startsWith(QString(WSE_CLI_PATH) + " zoo train"),
                 qPrintable(wizard->findChild<QLabel *>("command")->text()));
        auto *offered = choice->findChild<QLabel *>("jobRunnerNote"); // what that build's `wse devices` says
        QTRY_VERIFY2(offered->text().startsWith("cpu "), qPrintable(offered->text()));
        wizard->findChild<QLineEdit *>("output")->setText(mDir.filePath("chosen-runner.h5"));
        if (const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR"); !images.isEmpty())
            wizard->grab().save(images + "/wizard-runner-choice.png");
        if (!knownDevices(build).contains("cuda:0")) {
            wizard->findChild<QComboBox *>("device")->setCurrentText("cuda");
            wizard->button(QWizard::FinishButton)->click();
            QVERIFY(wizard->isVisible()); // refused: the wizard stays
            QVERIFY2(wizard->pageError().contains("no CUDA device"), qPrintable(wizard->pageError()));
        }
        wizard->findChild<QComboBox *>("device")->setCurrentText("cpu");
        wizard->button(QWizard::FinishButton)->click();
        QTRY_VERIFY(!jobCentre(window)->jobs().empty());
        JobEntry *job = jobCentre(window)->jobs().back();
        QCOMPARE(job->spec().runner, build);
        QVERIFY2(job->command().startsWith(QString(WSE_CLI_PATH) + " zoo train"), qPrintable(job->command()));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 120000);
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
    }

    // A real SSH host: sshd on 127.0.0.1 with a throwaway host key and user key, reached through an
    // ssh config (as a user's ~/.ssh/config names a host). Here the host sees this computer's files:
    // the zoo trained there is written in place, and opens on the map.
    void zooTrainedOnAnSshHostOpensOnTheMap()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        if (const QString why = startSshHost(); !why.isEmpty())
            QSKIP(qPrintable(why));
        MainWindow window;
        QVERIFY(showScripted(window));
        Runner host{Runner::Kind::Ssh, WSE_CLI_PATH, "zoo-server"};
        host.stage = mDir.filePath("host-stage");
        window.findChild<RunnerChoice *>()->choose(host);
        ZooTrainOptions options;
        options.epochs = 1;
        options.trainLimit = 200;
        options.testLimit = 100;
        options.device = "cpu";
        const QString output = mDir.filePath("remote zoo.h5");
        JobEntry *job = jobCentre(window)->startZooTraining(options, output);
        QVERIFY(job->command().startsWith("ssh zoo-server "));
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 120000);
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->path() == output, 30000); // it opens
        QCOMPARE(window.mapView()->pointCount(), int(window.document()->zoo().checkpointCount()));
        QVERIFY(!QFileInfo::exists(host.stage)); // used in place: nothing was copied
        QVERIFY(QDir(mDir.path()).entryList({".wse-*"}, QDir::Hidden | QDir::AllEntries).isEmpty()); // no marker left
    }

    // The SANE embedding of a zoo on an SSH host that does not share this computer's files (here:
    // a runner that always copies): the zoo and the encoder are copied up to the job's folder there,
    // the embeddings come back beside the zoo, and the SANE map opens. A second embedding finds
    // the copies there and does not send them again.
    void saneEmbeddingOnAnSshHostWithoutSharedFiles()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        if (const QString why = startSshHost(); !why.isEmpty())
            QSKIP(qPrintable(why));
        const QString zoo = mDir.filePath("embed here.h5");
        const QString encoder = test::trainZooAndEncoder(zoo, mDir.filePath("sane-run"));

        MainWindow window;
        QVERIFY(test::openScripted(window, zoo));
        Runner host{Runner::Kind::Ssh, WSE_CLI_PATH, "zoo-server"};
        host.stage = mDir.filePath("copies-on-host");
        host.alwaysCopy = true;
        QString error;
        QVERIFY2(window.mapActions()->embedOpenZoo(encoder, "cpu", "fp32", &error, host), qPrintable(error));
        JobEntry *job = jobCentre(window)->jobs().back();
        QCOMPARE(job->spec().runner, host);
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 120000);
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
        QVERIFY2(job->statusText().contains("computed in zoo-server:" + host.stage), qPrintable(job->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(window.document() && window.document()->sanePath() == job->outputPath(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.mapSource() == MapSource::SaneEmbeddings, 30000);
        QCOMPARE(window.mapView()->pointCount(), int(window.document()->zoo().checkpointCount()));
        // What the host worked on: copies in the job's own folder there.
        const QStringList copies = QDir(host.stage).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(copies.size(), 1);
        const QString folder = host.stage + "/" + copies.front();
        QVERIFY(QFileInfo::exists(folder + "/in/zoo/embed here.h5"));
        QVERIFY(QFileInfo::exists(folder + "/in/encoder/encoder.pt"));
        QVERIFY(QFileInfo::exists(folder + "/out/" + QFileInfo(job->outputPath()).fileName()));
        QCOMPARE(QFileInfo(job->outputPath()).size(), QFileInfo(folder + "/out/" + QFileInfo(job->outputPath()).fileName()).size());
        QVERIFY(QDir(mDir.path()).entryList({".wse-*"}, QDir::Hidden | QDir::AllEntries).isEmpty()); // nothing left here
        if (const QString images = qEnvironmentVariable("WSE_SCREENSHOT_DIR"); !images.isEmpty())
            window.grab().save(images + "/jobs-ssh-copies.png");

        // Resumed (the same output again): the copies there are used, not sent again.
        const QString copiedZoo = folder + "/in/zoo/embed here.h5";
        const QDateTime sent = QFileInfo(copiedZoo).metadataChangeTime(); // a copy sent again is a new file
        QVERIFY(QFile::remove(job->outputPath()));
        job->start();
        QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobEntry::State::Running, 120000);
        QVERIFY2(job->state() == JobEntry::State::Finished, qPrintable(job->statusText()));
        QVERIFY(QFileInfo::exists(job->outputPath()));
        QCOMPARE(QFileInfo(copiedZoo).metadataChangeTime(), sent);
    }
};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestRunners test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_runners.moc"
