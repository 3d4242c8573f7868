// wse-bench-mapview: how the explorer's map behaves at scale, on the GUI thread: showing,
// colouring and moving N points, hover picking, rendering a frame. Run under xvfb-run (software
// GL) or on a GPU desktop; prints milliseconds per operation. The explorer keeps all heavier work
// (loading, embedding, layouts, sampling) off the GUI thread; these are the parts that are not.
//
// Usage: xvfb-run -a -s "-screen 0 1600x1000x24" wse-bench-mapview [POINTS=100000] [HOVERS=200]
#include "benchutil.h"

#include "glcheck.h"
#include "map/colouring.h"
#include "map/mapview.h"
#include "viewport/vtkopenglwidget.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMouseEvent>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>

using namespace wse;

namespace {

double millisecondsOf(const std::function<void()> &work, int repetitions = 1)
{
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < repetitions; ++i)
        work();
    return double(timer.nsecsElapsed()) / 1e6 / repetitions;
}

} // namespace

int main(int argc, char **argv)
{
    setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    const int points = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int hovers = argc > 2 ? std::atoi(argv[2]) : 200;
    const QString problem = checkOpenGl();
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "wse-bench-mapview: no OpenGL 3.2 (run under xvfb-run): %s\n", qPrintable(problem));
        return 2;
    }
    std::mt19937 random(1);
    std::normal_distribution<float> normal;
    std::vector<float> xyz(size_t(points) * 3), moved(size_t(points) * 3);
    for (float &v : xyz)
        v = normal(random);
    for (float &v : moved)
        v = normal(random);
    std::vector<std::string> labels;
    for (int i = 0; i < points; ++i)
        labels.push_back("category_" + std::to_string(i % 12));
    const Colouring categorical = colourBy(Column::texts("init", labels));

    MapView view;
    view.resize(1200, 800);
    view.show();
    { // let the window appear and the GL context come up
        QEventLoop loop;
        QTimer::singleShot(500, &loop, &QEventLoop::quit);
        loop.exec();
    }
    auto frame = [&] { view.viewport()->grabFramebuffer(); };

    std::printf("wse-bench-mapview: %d points, 1200x800 viewport, GL renderer as the display provides\n", points);
    std::printf("  show points          %8.1f ms\n", millisecondsOf([&] { view.setPoints(xyz); }));
    std::printf("  colour (12 classes)  %8.1f ms\n", millisecondsOf([&] { view.setColouring(categorical); }));
    std::printf("  first frame          %8.1f ms\n", millisecondsOf(frame));
    std::printf("  frame                %8.1f ms (mean of 5)\n", millisecondsOf(frame, 5));
    std::printf("  move points (layout) %8.1f ms (mean of 5)\n", millisecondsOf([&] { view.movePoints(moved, false); }, 5));
    std::uniform_int_distribution<int> x(0, view.viewport()->width() - 1), y(0, view.viewport()->height() - 1);
    std::vector<QPoint> positions;
    for (int i = 0; i < hovers; ++i)
        positions.emplace_back(x(random), y(random));
    size_t next = 0;
    int hits = 0;
    const double hover = millisecondsOf([&] { hits += view.pointAt(positions[next++ % positions.size()]) >= 0; }, hovers);
    std::printf("  hover pick           %8.2f ms per event (%d of %d over a point)\n", hover, hits, hovers);
    {
        QWidget *target = view.viewport();
        const QPointF centre(target->width() / 2.0, target->height() / 2.0);
        auto send = [&](QEvent::Type type, QPointF at, Qt::MouseButtons buttons) {
            QMouseEvent event(type, at, target->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
            QApplication::sendEvent(target, &event);
        };
        send(QEvent::MouseButtonPress, centre, Qt::LeftButton);
        QApplication::processEvents();
        double longest = 0, total = 0;
        for (int step = 1; step <= 10; ++step) {
            const double move = millisecondsOf([&] {
                send(QEvent::MouseMove, centre + QPointF(4.0 * step, 2.0 * step), Qt::LeftButton);
                QApplication::processEvents();
            });
            longest = std::max(longest, move);
            total += move;
        }
        const double release = millisecondsOf([&] {
            send(QEvent::MouseButtonRelease, centre + QPointF(40.0, 20.0), Qt::NoButton);
            QApplication::processEvents();
        });
        std::printf("  rotate (drag)        %8.1f ms per mouse move, repaint included (longest %.1f)\n", total / 10, longest);
        std::printf("  end of drag          %8.1f ms (every point drawn again)\n", release);
    }
    std::printf("  vector figure data   %8.1f ms (projecting every point)\n", millisecondsOf([&] { view.projectedPoints(); }));
    bench::printFooter();
    return 0;
}
