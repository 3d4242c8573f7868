#pragma once
// Shared by the GUI tests: an explorer window for scripted use (errors are signals, not dialogs),
// shown and exposed.
#include "glcheck.h"
#include "mainwindow.h"

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

} // namespace wse::test
