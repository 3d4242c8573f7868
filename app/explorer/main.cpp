// wse-explorer: the desktop application.
#include "commandlineoptions.h"

#include "filemenu.h"
#include "glcheck.h"
#include "mainwindow.h"
#include "map/layoutcontroller.h"
#include "map/mapview.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool wantsHelpOrVersion(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char *flag : {"-h", "--help", "-?", "--help-all", "-v", "--version"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

bool haveDisplay()
{
    return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || std::getenv("QT_QPA_PLATFORM");
}

void describeApplication()
{
    QCoreApplication::setApplicationName("wse-explorer");
    QCoreApplication::setOrganizationName("weight-space-explorer");
    QCoreApplication::setApplicationVersion(WSE_VERSION);
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGXFSZ, SIG_IGN); // a file-size limit fails a save with a message, as in the CLI
    if (wantsHelpOrVersion(argc, argv)) { // needs no display
        QCoreApplication app(argc, argv);
        describeApplication();
        wse::parseExplorerOptions(app); // prints and exits
        return 0;
    }
    if (!haveDisplay()) {
        std::fprintf(stderr, "wse-explorer: error: no display (DISPLAY is not set). On a headless machine run it "
                             "under a virtual display: xvfb-run -a wse-explorer ...\n");
        return 2;
    }
    wse::setDefaultSurfaceFormat(); // before QApplication: VTK needs a 3.2 core context
    QApplication app(argc, argv);
    describeApplication();

    const wse::ExplorerOptions options = wse::parseExplorerOptions(app);
    const bool scripted = !options.screenshot.isEmpty();

    const QString glProblem = wse::checkOpenGl();
    if (!glProblem.isEmpty()) {
        const QString message = QObject::tr("Weight Space Explorer needs OpenGL 3.2 to draw its 3D maps.\n\n%1\n\n"
                                            "On a remote or headless machine, run it under a virtual display, "
                                            "e.g. xvfb-run -a wse-explorer ...")
                                    .arg(glProblem);
        std::fprintf(stderr, "wse-explorer: error: %s\n", qPrintable(glProblem));
        if (!scripted)
            QMessageBox::critical(nullptr, QObject::tr("OpenGL Unavailable"), message);
        return 2;
    }

    wse::MainWindow window;
    window.setInteractive(!scripted);
    if (!scripted)
        window.restoreLayout();
    if (!options.map.isEmpty())
        window.setMapSource(wse::mapSourceFromName(options.map.toStdString()));
    if (!options.layout.isEmpty())
        window.setLayoutMethod(wse::methodFromName(options.layout.toStdString()));
    if (options.size.isValid())
        window.resize(options.size);
    window.show();

    if (!options.bookmark.isEmpty())
        QObject::connect(&window, &wse::MainWindow::documentLoaded, &window, [&] {
            if (!window.showBookmark(options.bookmark))
                std::fprintf(stderr, "wse-explorer: error: no bookmark '%s' in %s\n", qPrintable(options.bookmark),
                             qPrintable(options.file));
        });
    if (!options.filter.isEmpty())
        QObject::connect(&window, &wse::MainWindow::documentLoaded, &window, [&] {
            if (!window.setFilter(options.filter))
                std::fprintf(stderr, "wse-explorer: error: %s\n", qPrintable(window.filterError()));
        });
    if (!scripted && !(options.colourBy.isEmpty() && options.sizeBy.isEmpty()))
        QObject::connect(&window, &wse::MainWindow::documentLoaded, &window, [&] {
            if (!options.colourBy.isEmpty() && !window.colourBy(options.colourBy))
                std::fprintf(stderr, "wse-explorer: error: no column '%s' to colour by\n", qPrintable(options.colourBy));
            if (!options.sizeBy.isEmpty() && !window.explorer()->setSizeBy(options.sizeBy))
                std::fprintf(stderr, "wse-explorer: error: no numeric column '%s' to size by\n", qPrintable(options.sizeBy));
        });
    if (!options.file.isEmpty())
        window.openZoo(options.file, options.sane);
    if (!scripted)
        return app.exec();

    // Scripted rendering: open, colour, render, save, exit.
    int status = 0;
    QObject::connect(&window, &wse::MainWindow::loadFailed, &app, [&](const QString &message) {
        std::fprintf(stderr, "wse-explorer: error: %s\n", qPrintable(message));
        status = 1;
        app.quit();
    });
    QObject::connect(&window, &wse::MainWindow::documentLoaded, &app, [&] {
        if (!options.colourBy.isEmpty() && !window.colourBy(options.colourBy)) {
            std::fprintf(stderr, "wse-explorer: error: no column '%s' to colour by\n", qPrintable(options.colourBy));
            status = 1;
            app.quit();
            return;
        }
        if (!options.sizeBy.isEmpty() && !window.explorer()->setSizeBy(options.sizeBy)) {
            std::fprintf(stderr, "wse-explorer: error: no numeric column '%s' to size by\n", qPrintable(options.sizeBy));
            status = 1;
            app.quit();
            return;
        }
        // Let the viewport paint once before grabbing the window.
        auto grab = [&] {
            QTimer::singleShot(300, &app, [&] {
                QString error;
                if (!exportFigure(window, options.screenshot, &error)) {
                    std::fprintf(stderr, "wse-explorer: error: %s: %s\n", qPrintable(options.screenshot), qPrintable(error));
                    status = 1;
                } else {
                    std::fprintf(stderr, "wse-explorer: wrote %s\n", qPrintable(options.screenshot));
                }
                app.quit();
            });
        };
        // A layout (and the quality line) still being computed is waited for.
        if (window.layouts()->isRunning())
            QObject::connect(window.layouts(), &wse::LayoutController::runningChanged, &app, [grab](bool running) {
                if (!running)
                    grab();
            });
        else
            grab();
    });
    if (options.file.isEmpty()) {
        std::fprintf(stderr, "wse-explorer: error: --screenshot needs a zoo file\n");
        return 1;
    }
    app.exec();
    return status;
}
