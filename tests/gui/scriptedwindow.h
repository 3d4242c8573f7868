#pragma once
// Shared by the GUI tests: an explorer window for scripted use (errors are signals, not dialogs),
// shown and exposed.
#include "mainwindow.h"

#include <QtTest>

namespace wse::test {

inline bool showScripted(MainWindow &window)
{
    window.setInteractive(false);
    window.resize(1100, 750);
    window.show();
    return QTest::qWaitForWindowExposed(&window);
}

} // namespace wse::test
