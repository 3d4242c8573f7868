// The explorer's session as a person relies on it: unsaved work is marked and asked about before it
// would be lost, autosaved before the first Save and offered again, and what the program logs appears
// in the Messages dock, which comes forward on a warning; a zoo over the memory limit opens with its
// weights left in the file (on its SANE map first, when it has one).
#include "common/fixtures.h"
#include "scriptedwindow.h"

#include "common/log.h"
#include "document/workspacesession.h"
#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "panels/messagesdock.h"
#include "preferences/filedialogs.h"
#include "preferences/setting.h"
#include "sane/embeddings.h"
#include "selection/labelactions.h"
#include "selection/selectionactions.h"
#include "zoo/zoostore.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <cmath>

#include <memory>
#include <thread>

using namespace wse;
using wse::test::openScripted;
using wse::test::showScripted;

// Embeddings of every checkpoint as an encoder would store them; the values only need to differ.
Embeddings standInEmbeddings(const Zoo &zoo)
{
    Embeddings embeddings;
    embeddings.encoderId = "stand-in";
    embeddings.source = "test";
    embeddings.mode = "full";
    embeddings.dims = 4;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
        embeddings.rows.appendRow({{"checkpoint", double(c)}, {"model_id", zoo.checkpointValue(c, zoocol::ModelId)},
                                   {"epoch", std::stod(zoo.checkpointValue(c, zoocol::Epoch))}, {"split", std::string()}});
        for (int j = 0; j < 4; ++j)
            embeddings.values.push_back(float(std::sin(double(c) * (j + 1) * 0.37)));
    }
    return embeddings;
}

class TestSession : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    QString mZooPath;

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        mZooPath = test::writeClustersZoo(mDir);
        qputenv("WSE_EXECUTABLE", WSE_CLI_PATH);
    }

    // Weights over the memory limit stay in the file: the same maps, computed from it, and the
    // explorer shows them as usual.
    void aZooOverTheMemoryLimitIsMappedFromItsFile()
    {
        const auto inMemory = ZooDocument::load(mZooPath);
        QVERIFY(!inMemory->zoo().weights[0].values.empty());
        qputenv("WSE_ZOO_MEMORY_MB", "0");
        const auto fromFile = ZooDocument::load(mZooPath);
        QVERIFY(fromFile->zoo().weights[0].values.empty());
        for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics}) {
            const std::vector<float> &a = inMemory->map(source).pca.coordinates, &b = fromFile->map(source).pca.coordinates;
            QCOMPARE(a.size(), b.size());
            for (size_t i = 0; i < a.size(); ++i)
                QVERIFY2(std::fabs(a[i] - b[i]) < 1e-4f * (1.0f + std::fabs(a[i])), qPrintable(QString::number(i)));
        }
        MainWindow window;
        const bool opened = openScripted(window, mZooPath);
        qunsetenv("WSE_ZOO_MEMORY_MB");
        QVERIFY(opened);
        QCOMPARE(window.mapView()->pointCount(), 48);
    }

    // Opening a zoo over the memory limit that has SANE embeddings takes no passes over its weights:
    // it opens on the SANE map, its weight maps wait greyed in the Map box and follow from the file
    // in the background, equal to those computed while opening, and can then be shown.
    void aLargeZoosWeightMapsFollowItsSaneMap()
    {
        const QString embeddingsPath = mDir.filePath("stand-in-embeddings.h5");
        standInEmbeddings(ZooStore::read(mZooPath.toStdString(), false)).write(embeddingsPath.toStdString());
        const auto eager = ZooDocument::load(mZooPath);
        struct MemoryLimit
        {
            MemoryLimit() { qputenv("WSE_ZOO_MEMORY_MB", "0"); }
            ~MemoryLimit() { qunsetenv("WSE_ZOO_MEMORY_MB"); }
        } noWeightsInMemory;

        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(mZooPath, embeddingsPath);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(window.mapSource(), MapSource::SaneEmbeddings);
        QCOMPARE(window.mapView()->pointCount(), 48);
        QVERIFY(window.document()->weightMapsPending());
        QVERIFY(!window.document()->hasMap(MapSource::Weights));
        auto *mapBox = window.findChild<QComboBox *>("mapSource");
        const QModelIndex weightsItem = mapBox->model()->index(mapBox->findData(int(MapSource::Weights)), 0);
        QVERIFY(!(mapBox->model()->flags(weightsItem) & Qt::ItemIsEnabled));
        QVERIFY2(weightsItem.data().toString().contains("computing"), qPrintable(weightsItem.data().toString()));
        window.setMapSource(MapSource::Weights); // not yet: the SANE map stays
        QCOMPARE(window.mapSource(), MapSource::SaneEmbeddings);

        QTRY_VERIFY_WITH_TIMEOUT(window.document()->hasMap(MapSource::Weights), 30000);
        QVERIFY(mapBox->model()->flags(weightsItem) & Qt::ItemIsEnabled);
        QVERIFY(!weightsItem.data().toString().contains("computing"));
        for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics}) {
            const std::vector<float> &a = eager->map(source).pca.coordinates, &b = window.document()->map(source).pca.coordinates;
            QCOMPARE(a.size(), b.size());
            for (size_t i = 0; i < a.size(); ++i)
                QVERIFY2(std::fabs(a[i] - b[i]) < 1e-4f * (1.0f + std::fabs(a[i])), qPrintable(QString::number(i)));
        }
        window.setMapSource(MapSource::WeightStatistics);
        QCOMPARE(window.mapSource(), MapSource::WeightStatistics);
        QCOMPARE(window.mapView()->pointCount(), 48);
    }

    // A workspace with one damaged byte that crashes the HDF5 library itself (tests/errors/) is tried
    // in a `wse` child process first: the explorer reports it and its session goes on.
    void aFileThatCrashesHdf5IsReportedAndTheSessionSurvives()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        QSignalSpy failed(&window, &MainWindow::loadFailed);
        window.openZoo(QStringLiteral(WSE_TEST_DATA "/../errors/workspace/flipped-byte-crashes-hdf5.h5"));
        QVERIFY(failed.wait(60000));
        const QString message = failed.front().front().toString();
        QVERIFY2(message.contains("flipped-byte-crashes-hdf5.h5: damaged file: reading it crashed the HDF5 library"),
                 qPrintable(message));
        QVERIFY(test::openScripted(window, mZooPath)); // the same session opens a good zoo afterwards
        // A file of the wrong kind says what it is.
        QSignalSpy failedAgain(&window, &MainWindow::loadFailed);
        window.openZoo(QStringLiteral(WSE_TEST_DATA "/../errors/embeddings/rows-mismatch.h5"));
        QVERIFY(failedAgain.wait(60000));
        QVERIFY2(failedAgain.front().front().toString().contains("is an embeddings file, not a zoo or a workspace"),
                 qPrintable(failedAgain.front().front().toString()));
    }

    // Nothing lost: after a label and a change of colouring the window is modified, closing asks
    // Save / Discard / Cancel (Cancel keeps it open), and Save writes a workspace that reopens to the
    // same labels and colouring.
    void closingWithUnsavedWorkAsksAndSaveKeepsTheView()
    {
        const QString workspace = mDir.filePath("unsaved-session.h5");
        auto window = std::make_unique<MainWindow>();
        QVERIFY(openScripted(*window, mZooPath));
        QVERIFY(!window->isWindowModified()); // opening changes nothing
        QVERIFY(window->windowTitle().contains("[*]"));
        QVERIFY(window->saveWorkspace(workspace));
        window->selection()->select({0, 1, 2, 3}, "four");
        const std::vector<int64_t> labelled = window->selectedCheckpoints();
        QCOMPARE(labelled.size(), size_t(4));
        QVERIFY(window->findChild<LabelActions *>()->labelSelection("cluster"));
        QVERIFY(window->isWindowModified());
        auto *colour = window->findChild<QComboBox *>("colourBy");
        QVERIFY(colour);
        const int other = colour->currentIndex() == 0 ? 1 : 0;
        const QString chosen = colour->itemText(other);
        colour->setCurrentIndex(other);
        Q_EMIT colour->activated(other); // as when the user picks it
        QCOMPARE(window->colouringColumn(), chosen);

        window->setInteractive(true);
        QStringList buttonsSeen;
        auto answer = [&](QMessageBox::StandardButton choice) {
            auto *timer = new QTimer(window.get());
            connect(timer, &QTimer::timeout, timer, [&buttonsSeen, timer, choice] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                if (!box || box->objectName() != "unsavedChangesBox")
                    return;
                buttonsSeen.clear();
                for (QAbstractButton *button : box->buttons())
                    buttonsSeen << QString::number(int(box->standardButton(button)));
                box->button(choice)->click();
                timer->deleteLater();
            });
            timer->start(50);
        };
        answer(QMessageBox::Cancel);
        QVERIFY(!window->close());
        QVERIFY(window->isVisible());
        QCOMPARE(buttonsSeen.size(), 3);
        for (QMessageBox::StandardButton button : {QMessageBox::Save, QMessageBox::Discard, QMessageBox::Cancel})
            QVERIFY(buttonsSeen.contains(QString::number(int(button))));
        answer(QMessageBox::Save);
        QVERIFY(window->close());
        window.reset();

        MainWindow reopened;
        QVERIFY(openScripted(reopened, workspace));
        QVERIFY(!reopened.isWindowModified());
        QCOMPARE(reopened.colouringColumn(), chosen);
        for (const std::string &label : reopened.document()->labelsOf(labelled))
            QCOMPARE(QString::fromStdString(label), QString("cluster"));
        int unlabelled = 0;
        for (int64_t c = 0; c < reopened.document()->zoo().checkpointCount(); ++c)
            unlabelled += reopened.document()->labelsOf({c})[0].empty();
        QCOMPARE(unlabelled, int(reopened.document()->zoo().checkpointCount()) - 4);
    }

    // Before the first Save, unsaved work is autosaved in the user's data folder under the zoo's name
    // and offered when the zoo is opened again; Discard on close removes it.
    void unsavedSessionIsRecoveredWhenItsZooIsOpenedAgain()
    {
        {
            MainWindow window;
            QVERIFY(openScripted(window, mZooPath));
            window.selection()->select({5, 6}, "two");
            QVERIFY(window.findChild<LabelActions *>()->labelSelection("kept"));
            window.findChild<WorkspaceSession *>()->autosave();
            QVERIFY(!WorkspaceSession::unsavedSessionCopy(mZooPath).isEmpty());
        } // as if the explorer stopped here
        MainWindow window;
        QVERIFY(showScripted(window));
        window.setInteractive(true);
        QTimer::singleShot(200, &window, [] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (box && box->windowTitle() == "Restore Unsaved Session")
                box->button(QMessageBox::Yes)->click();
        });
        QSignalSpy loaded(&window, &MainWindow::documentLoaded);
        window.openZoo(mZooPath);
        QVERIFY(loaded.wait(20000));
        QVERIFY(window.isWindowModified()); // restored work is in no file yet
        QVERIFY(window.workspacePath().isEmpty());
        int kept = 0;
        for (int64_t c = 0; c < window.document()->zoo().checkpointCount(); ++c)
            kept += window.document()->labelsOf({c})[0] == "kept";
        QCOMPARE(kept, 2);
        QTimer::singleShot(200, &window, [] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                box->button(QMessageBox::Discard)->click();
        });
        QVERIFY(window.close());
        QVERIFY(WorkspaceSession::unsavedSessionCopy(mZooPath).isEmpty());
    }

    // A warning logged anywhere (here: from a worker thread, as jobs log) appears in the dock, which
    // comes forward; the CLI prints the same through its own sink.
    // Settings go through typed keys; session state (jobs to resume) is kept apart from the user's
    // settings; file dialogs start in the folder last chosen for the same kind of file.
    void settingsAreTypedAndSessionStateIsKeptApart()
    {
        const Setting<QStringList> recent{QStringLiteral("test/recent")};
        recent.set({QStringLiteral("a.h5"), QStringLiteral("b.h5")});
        QCOMPARE(recent.get(), QStringList({QStringLiteral("a.h5"), QStringLiteral("b.h5")}));
        QCOMPARE(Setting<int>(QStringLiteral("test/never-set"), 7).get(), 7);
        const Setting<QStringList> sameKeyInSession{QStringLiteral("test/recent"), {}, SettingScope::Session};
        QVERIFY(sameKeyInSession.get().isEmpty());
        recent.clear();
        QVERIFY(recent.get().isEmpty());
        rememberFolder(QStringLiteral("zoo"), mZooPath);
        QCOMPARE(lastFolder(QStringLiteral("zoo")), QFileInfo(mZooPath).absolutePath());
        rememberFolder(QStringLiteral("workspace"), mDir.path() + "/gone/ws.h5");
        QCOMPARE(lastFolder(QStringLiteral("workspace")), QDir::homePath()); // a folder since removed
    }

    void warningsAppearInTheMessagesDock()
    {
        MainWindow window;
        QVERIFY(showScripted(window));
        auto *messages = window.findChild<MessagesDock *>("messagesDock");
        QVERIFY(messages);
        const int before = messages->count();
        std::thread([] { logWarning("autosave failed: /tmp/x.h5: write failed: No space left on device"); }).join();
        QTRY_COMPARE(messages->count(), before + 1);
        QVERIFY(messages->message(before).contains("No space left"));
        QVERIFY(messages->isVisible());
    }
};

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    TestSession test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_session.moc"
