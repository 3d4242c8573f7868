// wse-explorer: the desktop application.
#include "commandlineoptions.h"

#include "common/buildinfo.h"
#include "filemenu.h"
#include "glcheck.h"
#include "icons.h"
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
    QCoreApplication::setApplicationVersion(QString::fromStdString(wse::buildDescription()));
}


// Once the file is open: the bookmark, filter, colouring and sizes asked for on the command line
// (a scripted run colours and sizes in renderScreenshot, where a bad column fails the run).
void applyViewOptions(wse::MainWindow &window, const wse::ExplorerOptions &options, bool scripted)
{
    QObject::connect(&window, &wse::MainWindow::documentLoaded, &window, [&window, options, scripted] {
        if (!options.bookmark.isEmpty() && !window.showBookmark(options.bookmark))
            std::fprintf(stderr, "wse-explorer: error: no bookmark '%s' in %s\n", qPrintable(options.bookmark),
                         qPrintable(options.file));
        if (!options.filter.isEmpty() && !window.setFilter(options.filter))
            std::fprintf(stderr, "wse-explorer: error: %s\n", qPrintable(window.filterError()));
        if (scripted)
            return;
        if (!options.colourBy.isEmpty() && !window.colourBy(options.colourBy))
            std::fprintf(stderr, "wse-explorer: error: no column '%s' to colour by\n", qPrintable(options.colourBy));
        if (!options.sizeBy.isEmpty() && !window.explorer()->setSizeBy(options.sizeBy))
            std::fprintf(stderr, "wse-explorer: error: no numeric column '%s' to size by\n", qPrintable(options.sizeBy));
    });
}

// Scripted rendering: open, colour, size, wait for the layout, save the figure, quit; `status` 1
// on any failure.
void renderScreenshot(QApplication &app, wse::MainWindow &window, const wse::ExplorerOptions &options, int &status)
{
    const auto stop = [&app, &status](const QString &message) {
        std::fprintf(stderr, "wse-explorer: error: %s\n", qPrintable(message));
        status = 1;
        app.quit();
    };
    QObject::connect(&window, &wse::MainWindow::loadFailed, &app, stop);
    QObject::connect(&window, &wse::MainWindow::documentLoaded, &app, [&app, &window, &status, options, stop] {
        if (!options.colourBy.isEmpty() && !window.colourBy(options.colourBy))
            return stop(QStringLiteral("no column '%1' to colour by").arg(options.colourBy));
        if (!options.sizeBy.isEmpty() && !window.explorer()->setSizeBy(options.sizeBy))
            return stop(QStringLiteral("no numeric column '%1' to size by").arg(options.sizeBy));
        // Let the viewport paint once before grabbing the window.
        auto grab = [&app, &window, &status, options, stop] {
            QTimer::singleShot(300, &app, [&app, &window, &status, options, stop] {
                QString error;
                if (!exportFigure(window, options.screenshot, &error))
                    return stop(options.screenshot + ": " + error);
                std::fprintf(stderr, "wse-explorer: wrote %s\n", qPrintable(options.screenshot));
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
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.weightspaceexplorer.WeightSpaceExplorer"));
    QApplication::setWindowIcon(wse::applicationIcon());

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
    if (!options.map.isEmpty()) {
        window.setMapSource(wse::mapSourceFromName(options.map.toStdString()));
        window.setDeferLargeWeightMaps(options.map == "sane"); // the weight map asked for is shown at once
    }
    if (!options.layout.isEmpty())
        window.setLayoutMethod(wse::methodFromName(options.layout.toStdString()));
    if (options.size.isValid())
        window.resize(options.size);
    window.show();
    applyViewOptions(window, options, scripted);
    if (scripted && options.file.isEmpty() && !options.demo) {
        std::fprintf(stderr, "wse-explorer: error: --screenshot needs a zoo file (or --demo)\n");
        return 1;
    }
    int status = 0;
    if (scripted)
        renderScreenshot(app, window, options, status);
    if (!options.file.isEmpty())
        window.openZoo(options.file, options.sane);
    else if (options.demo)
        window.openDemo();
    const int code = app.exec();
    return scripted ? status : code;
}
