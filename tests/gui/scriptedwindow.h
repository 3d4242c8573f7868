#pragma once
// Shared by the GUI tests: an explorer window for scripted use (errors are signals, not dialogs),
// shown and exposed.
#include "common/fixtures.h"
#include "glcheck.h"
#include "mainwindow.h"
#include "sane/sanetrainer.h"
#include "training/zootrainer.h"
#include "zoo/zoostore.h"

#include <QStandardPaths>
#include <QTemporaryDir>

#include <QSignalSpy>
#include <QtTest>

// In initTestCase: skips the suite where there is no OpenGL 3.2 (outside xvfb-run).
#define WSE_REQUIRE_OPENGL()                                                                         \
    do {                                                                                             \
        const QString problem = wse::checkOpenGl();                                                  \
        if (!problem.isEmpty())                                                                      \
            QSKIP(qPrintable("no OpenGL 3.2 (run under xvfb-run): " + problem));                    \
    } while (false)

namespace wse::test {

inline bool showScripted(MainWindow &window)
{
    qputenv("WSE_EXECUTABLE", WSE_CLI_PATH); // the jobs' and file checks' child processes: this build's wse
    window.setInteractive(false);
    window.resize(1100, 750);
    window.show();
    return QTest::qWaitForWindowExposed(&window);
}

// Shows the window and opens a zoo or workspace in it; false when it did not load in time.
inline bool openScripted(MainWindow &window, const QString &path, int milliseconds = 20000)
{
    if (!showScripted(window))
        return false;
    QSignalSpy loaded(&window, &MainWindow::documentLoaded);
    window.openZoo(path);
    return loaded.wait(milliseconds);
}

// The zoo most GUI suites open (3 clusters of 4 models, 3 epochs: 48 checkpoints), written into
// `dir`; settings, recent files and recovery copies go to Qt's test locations, not the user's.
inline QString writeClustersZoo(const QTemporaryDir &dir)
{
    QStandardPaths::setTestModeEnabled(true);
    const QString path = dir.filePath("clusters.h5");
    ZooStore::write(makeSyntheticZoo(3, 4, 3), path.toStdString());
    return path;
}

// A small real zoo (2 inits x 2 seeds, tanh, 2 epochs on a slice of Fashion-MNIST: sampling and
// decoding evaluate networks on its data) and a tiny SANE encoder trained on it (1 epoch).
// Returns the encoder's path.
inline QString trainZooAndEncoder(const QString &zoo, const QString &runDir)
{
    ZooTrainOptions training;
    training.inits = {"kaiming_uniform", "uniform"};
    training.activations = {"tanh"};
    training.learningRates = {1e-3};
    training.seeds = {1, 2};
    training.epochs = 2;
    training.trainLimit = 300;
    training.testLimit = 100;
    training.device = "cpu";
    trainZoo(training, zoo.toStdString(), {});
    SaneTrainOptions sane;
    sane.zooPath = zoo.toStdString();
    sane.runDir = runDir.toStdString();
    sane.device = "cpu";
    sane.config = SaneConfig::preset("tiny");
    sane.config.tokenSize = 64;
    sane.config.epochs = 1;
    trainSane(sane, nullptr);
    return runDir + "/encoder.pt";
}

} // namespace wse::test
