// wse-bench-mapview: how the explorer's map behaves at scale, on the GUI thread: showing,
// colouring and moving N points, hover picking, rendering a frame. Run under xvfb-run (software
// GL) or on a GPU desktop; prints milliseconds per operation. The explorer keeps all heavier work
// (loading, embedding, layouts, sampling) off the GUI thread; these are the parts that are not.
//
// Usage: xvfb-run -a -s "-screen 0 1600x1000x24" wse-bench-mapview [POINTS=100000] [HOVERS=200]
#include "benchutil.h"

#include "glcheck.h"
#include "analysis/filterexpression.h"
#include "map/colouring.h"
#include "map/mapcolumns.h"
#include "map/mapview.h"
#include "panels/checkpointtable.h"
#include "panels/legendwidget.h"
#include "zoo/zoo.h"
#include "viewport/vtkopenglwidget.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFocusEvent>
#include <QLineEdit>
#include <QMouseEvent>
#include <QThread>
#include <QTimer>
#include <QWheelEvent>

#include <vtkCamera.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>
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

// A zoo's metadata only (no weights): what the Table dock shows, `points` checkpoints of 50 epochs.
Zoo tableZoo(int points, std::mt19937 &random)
{
    Zoo zoo;
    const int models = std::max(1, points / 50);
    std::vector<std::string> ids, inits, activations;
    std::vector<double> lrs, seeds;
    const char *initNames[] = {"uniform", "normal", "kaiming_uniform", "kaiming_normal"};
    const char *activationNames[] = {"tanh", "relu", "gelu"};
    for (int m = 0; m < models; ++m) {
        ids.push_back("m" + std::to_string(100000 + m));
        inits.emplace_back(initNames[m % 4]);
        activations.emplace_back(activationNames[m % 3]);
        lrs.push_back(m % 2 ? 1e-3 : 3e-4);
        seeds.push_back(m);
    }
    zoo.models.addColumn(Column::texts(zoocol::ModelId, ids));
    zoo.models.addColumn(Column::texts("init", inits));
    zoo.models.addColumn(Column::texts("activation", activations));
    zoo.models.addColumn(Column::numbers("lr", lrs));
    zoo.models.addColumn(Column::numbers("seed", seeds));
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> model, epoch, testAcc, trainAcc, testLoss, trainLoss;
    for (int i = 0; i < points; ++i) {
        model.push_back(std::min(i / 50, models - 1));
        epoch.push_back(i % 50);
        testAcc.push_back(uniform(random));
        trainAcc.push_back(uniform(random));
        testLoss.push_back(uniform(random) * 2);
        trainLoss.push_back(uniform(random) * 2);
    }
    zoo.checkpoints.addColumn(Column::numbers(zoocol::Model, model));
    zoo.checkpoints.addColumn(Column::numbers(zoocol::Epoch, epoch));
    for (auto [name, values] : {std::pair{"test_acc", &testAcc}, {"train_acc", &trainAcc}, {"test_loss", &testLoss},
                                {"train_loss", &trainLoss}})
        zoo.checkpoints.addColumn(Column::numbers(name, *values));
    return zoo;
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
    {
        // A still frame after the camera moved: the frontmost point per pixel is found again.
        vtkCamera *camera = view.viewport()->renderer()->GetActiveCamera();
        auto turnedFrame = [&] {
            camera->Azimuth(0.5);
            frame();
        };
        const double frontmost = millisecondsOf(turnedFrame, 5);
        const bool aggregated = view.isShowingFrontmostPerPixel();
        view.setFrontmostPerPixel(false);
        const double every = millisecondsOf(turnedFrame, 5);
        view.setFrontmostPerPixel(true);
        std::printf("  still frame, turned  %8.1f ms (mean of 5; %s) against %.1f ms drawing every point: %.2fx\n",
                    frontmost, aggregated ? "the frontmost point per pixel" : "every point", every, every / frontmost);
    }
    {
        std::vector<double> values(static_cast<size_t>(points));
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = double(i % 1000);
        std::printf("  size by a column     %8.1f ms\n", millisecondsOf([&] { view.setPointSizeValues(values); }));
        std::vector<bool> hidden(static_cast<size_t>(points), false);
        for (size_t i = 0; i < hidden.size(); i += 12)
            hidden[i] = true;
        std::printf("  hide a category      %8.1f ms (legend)\n", millisecondsOf([&] { view.setHiddenPoints(hidden); }));
        std::vector<int> half;
        for (int i = 0; i < points; i += 2)
            half.push_back(i);
        std::printf("  select half          %8.1f ms (the rest fades)\n", millisecondsOf([&] { view.setSelection(half); }));
        const QPolygonF box(QRectF(100, 100, 500, 400));
        std::printf("  box selection        %8.1f ms (points inside a box)\n",
                    millisecondsOf([&] { view.selectionInOutline(box, SelectionMode::Replace); }));
        view.setSelection({});
        view.setHiddenPoints({});
        view.setPointSizeValues({});
    }
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

        auto wheel = [&] {
            QWheelEvent event(centre, target->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
                              Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(target, &event);
            QApplication::processEvents();
        };
        const double turn = millisecondsOf(wheel, 10);
        QElapsedTimer rest;
        rest.start();
        while (rest.elapsed() < 2000 && view.isShowingSubset())
            QApplication::processEvents(QEventLoop::AllEvents, 5);
        std::printf("  zoom (wheel)         %8.1f ms per turn of the wheel, repaint included\n", turn);
        std::printf("  wheel at rest        %8.1f ms until every point is drawn again (250 ms of it waiting)\n",
                    double(rest.elapsed()));
    }
    {
        const Zoo zoo = tableZoo(points, random);
        std::vector<int64_t> checkpoints(static_cast<size_t>(points));
        std::iota(checkpoints.begin(), checkpoints.end(), 0);
        CheckpointTable table;
        table.resize(1000, 300);
        table.show();
        auto settle = [] { QApplication::processEvents(); };
        std::printf("  table: rows          %8.1f ms (%d rows, %zu columns)\n",
                    millisecondsOf([&] { table.showCheckpoints(&zoo, checkpoints); settle(); }), points,
                    zoo.checkpointColumnNames().size());
        std::vector<int> half;
        for (int i = 0; i < points; i += 2)
            half.push_back(i);
        std::printf("  table: select half   %8.1f ms (scattered rows, from the map)\n",
                    millisecondsOf([&] { table.setSelectedPoints(half); settle(); }));
        std::printf("  table: sort          %8.1f ms (by test_acc)\n",
                    millisecondsOf([&] { table.sortByColumn("test_acc", false); settle(); }));
        auto *search = table.findChild<QLineEdit *>("tableSearch");
        std::printf("  table: search        %8.1f ms (every column; the first search also indexes the rows)\n",
                    millisecondsOf([&] { search->setText("m1001"); settle(); }));
        std::printf("  table: search again  %8.1f ms\n", millisecondsOf([&] { search->setText("m10012"); settle(); }));
        std::printf("  table: clear search  %8.1f ms\n", millisecondsOf([&] { search->clear(); settle(); }));
        // As a person searches: the box gets the focus (the index starts in the background), a
        // moment later the first keystroke.
        table.showCheckpoints(&zoo, checkpoints); // a new map: the index is built anew
        settle();
        QFocusEvent focusIn(QEvent::FocusIn);
        QApplication::sendEvent(search, &focusIn);
        QThread::msleep(1500);
        std::printf("  table: first search  %8.1f ms (1.5 s after the search box got the focus)\n",
                    millisecondsOf([&] { search->setText("m1001"); settle(); }));
        search->clear();
        settle();

        // A keystroke in the Colour dock's filter: the expression parsed and evaluated over every
        // checkpoint, then the table shows only the matching rows; the legend of a colouring.
        std::map<std::string, Column> columns;
        for (const char *name : {"init", "test_acc", zoocol::Epoch})
            columns.emplace(name, columnOnMap(zoo, checkpoints, name));
        auto lookup = [&](const std::string &name) -> const Column * {
            const auto found = columns.find(name);
            return found == columns.end() ? nullptr : &found->second;
        };
        std::vector<bool> matches;
        std::printf("  filter: evaluate     %8.1f ms (init == \"normal\" && test_acc > 0.5 && epoch in [10, 20])\n",
                    millisecondsOf([&] {
                        matches = FilterExpression::parse("init == \"normal\" && test_acc > 0.5 && epoch in [10, 20]")
                                      .evaluate(lookup, points);
                    }));
        table.findChild<QCheckBox *>("matchingOnly")->setChecked(true);
        std::printf("  filter: table rows   %8.1f ms (only the matching rows)\n",
                    millisecondsOf([&] { table.setFilterMatches(matches); settle(); }));
        LegendWidget legend;
        legend.show();
        std::printf("  legend               %8.1f ms (12 categories with counts)\n",
                    millisecondsOf([&] { legend.showColouring(categorical); settle(); }));
    }
    std::printf("  vector figure data   %8.1f ms (projecting every point)\n", millisecondsOf([&] { view.projectedPoints(); }));
    bench::printFooter();
    return 0;
}
