// The map widget on its own, under Xvfb: turning it by dragging draws each frame once, points
// sized by a column, and how a software renderer keeps a map of many points responsive (flat
// points, a thinned drawing while turning, every point back when the drag ends); a deep zoom far
// from the map's centre draws the points where they are.
#include "scriptedwindow.h"

#include "map/colouring.h"
#include "map/interactivedetail.h"
#include "map/mapview.h"
#include "map/vectorfigure.h"
#include "viewport/vtkopenglwidget.h"

#include <QMouseEvent>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkRenderer.h>

#include <random>
#include <set>

using namespace wse;

namespace {

std::vector<float> randomPoints(int count, unsigned seed = 3)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal;
    std::vector<float> xyz(size_t(count) * 3);
    for (float &v : xyz)
        v = normal(random);
    return xyz;
}

// Non-white pixels in a square around a point of the map.
int inkAround(const QImage &image, QPoint centre, int half = 14)
{
    int count = 0;
    for (int y = centre.y() - half; y <= centre.y() + half; ++y)
        for (int x = centre.x() - half; x <= centre.x() + half; ++x)
            if (image.valid(x, y) && image.pixel(x, y) != qRgb(255, 255, 255))
                ++count;
    return count;
}

// Counts the renderer's frames.
struct FrameCounter
{
    explicit FrameCounter(vtkRenderer *renderer)
    {
        callback->SetClientData(&frames);
        callback->SetCallback([](vtkObject *, unsigned long, void *frames, void *) { ++*static_cast<int *>(frames); });
        renderer->AddObserver(vtkCommand::EndEvent, callback);
    }
    int frames = 0;
    vtkNew<vtkCallbackCommand> callback;
};

class Drag
{
public:
    explicit Drag(QWidget *target) : mTarget(target), mAt(target->width() / 2.0, target->height() / 2.0)
    {
        send(QEvent::MouseButtonPress, Qt::LeftButton);
    }
    void moveBy(QPointF step)
    {
        mAt += step;
        send(QEvent::MouseMove, Qt::LeftButton);
    }
    void release() { send(QEvent::MouseButtonRelease, Qt::NoButton); }

private:
    void send(QEvent::Type type, Qt::MouseButtons buttons)
    {
        QMouseEvent event(type, mAt, mTarget->mapToGlobal(mAt), Qt::LeftButton, buttons, Qt::NoModifier);
        QApplication::sendEvent(mTarget, &event);
        QApplication::processEvents();
    }
    QWidget *mTarget;
    QPointF mAt;
};

void turnWheel(QWidget *target, int steps)
{
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    for (int i = 0; i < steps; ++i) {
        QWheelEvent event(at, target->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &event);
        QApplication::processEvents();
    }
}

bool showView(MapView &view)
{
    view.resize(700, 500);
    view.show();
    return QTest::qWaitForWindowExposed(&view);
}

} // namespace

class TestMapView : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

private Q_SLOTS:
    void initTestCase() { WSE_REQUIRE_OPENGL(); }

    void draggingTurnsTheMapDrawingEachMoveOnce()
    {
        MapView view;
        QVERIFY(showView(view));
        view.setPoints(randomPoints(300));
        view.setColouring(colourBy(Column::numbers("x", std::vector<double>(300, 0.5))));
        QTest::qWait(100);
        const QImage before = view.viewport()->grabFramebuffer();
        double position[3];
        view.viewport()->renderer()->GetActiveCamera()->GetPosition(position);

        FrameCounter counter(view.viewport()->renderer());
        Drag drag(view.viewport());
        for (int i = 0; i < 5; ++i)
            drag.moveBy({12, 4});
        drag.release();
        // A frame per move at most (VTK's interaction and paintGL used to draw every frame twice).
        QVERIFY2(counter.frames >= 1 && counter.frames <= 6, qPrintable(QString::number(counter.frames)));
        double after[3];
        view.viewport()->renderer()->GetActiveCamera()->GetPosition(after);
        QVERIFY(std::abs(after[0] - position[0]) + std::abs(after[1] - position[1]) + std::abs(after[2] - position[2]) > 1e-3);
        QVERIFY(view.viewport()->grabFramebuffer() != before);
    }

    void pointsAreSizedByAColumn()
    {
        MapView view;
        QVERIFY(showView(view));
        view.setPoints({-1, 0, 0, 1, 0, 0, 0, 1, 0}); // left, right, top
        view.setTwoDimensional(true);
        view.setColouring(colourBy(Column::texts("kind", {"a", "a", "a"})));
        QTest::qWait(100);
        auto inks = [&] {
            const QImage image = view.viewport()->grabFramebuffer();
            std::vector<int> ink;
            for (int i = 0; i < 3; ++i)
                ink.push_back(inkAround(image, view.widgetPositionOf(i) * image.devicePixelRatio()));
            return ink;
        };
        const std::vector<int> uniform = inks();
        QVERIFY(uniform[0] > 20);
        QVERIFY(std::abs(uniform[0] - uniform[1]) <= uniform[0] / 5);

        view.setPointSizeValues({0.1, 0.9, std::nan("")}); // smallest, largest, missing
        QTest::qWait(50);
        const std::vector<int> sized = inks();
        QVERIFY2(sized[1] > 4 * sized[0], qPrintable(QString("%1 vs %2").arg(sized[1]).arg(sized[0])));
        QVERIFY(sized[1] > uniform[1]);
        QVERIFY(sized[0] < uniform[0]);
        QVERIFY(std::abs(sized[2] - sized[0]) <= sized[0] / 5 + 2); // missing: the smallest size
        QCOMPARE(view.pointDiameters().size(), size_t(3));

        // The vector figure draws the same sizes.
        const QString svg = mDir.filePath("sized.svg");
        writeVectorFigure(view, svg);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        std::set<QString> radii;
        const QRegularExpression ellipse(QStringLiteral("<circle[^>]* r=\"([0-9.]+)\""));
        for (auto match = ellipse.globalMatch(QString::fromUtf8(file.readAll())); match.hasNext();)
            radii.insert(match.next().captured(1));
        QVERIFY2(radii.size() >= 2, qPrintable(QString::number(radii.size())));

        view.setPointSizeValues({}); // uniform again
        QTest::qWait(50);
        const std::vector<int> again = inks();
        QVERIFY(std::abs(again[1] - uniform[1]) <= uniform[1] / 5);
    }

    // In a non-linear layout, trajectories are faint by default or drawn only for the selected
    // models and the current point's; a linear layout draws them all in full.
    void trajectoriesRecedeInNonLinearLayouts()
    {
        using Emphasis = MapView::TrajectoryEmphasis;
        MapView view;
        QVERIFY(showView(view));
        view.setPoints(randomPoints(12));
        view.setTrajectories({{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}); // three models
        QCOMPARE(view.drawnTrajectories().size(), size_t(3));
        QCOMPARE(view.trajectoryEmphasis(), Emphasis::Full);
        const double full = view.trajectoryOpacity();

        view.setLayoutIsLinear(false); // t-SNE, UMAP
        QCOMPARE(view.trajectoryEmphasis(), Emphasis::Faint);
        QCOMPARE(view.drawnTrajectories().size(), size_t(3));
        QVERIFY(view.trajectoryOpacity() < full / 3);

        view.setNonLinearTrajectories(Emphasis::SelectedOnly);
        QVERIFY(view.drawnTrajectories().empty());
        view.setSelectedPoint(5); // the current point: its model's line
        QCOMPARE(view.drawnTrajectories(), (std::vector<std::vector<int>>{{4, 5, 6, 7}}));
        view.setSelection({9, 10});
        QCOMPARE(view.drawnTrajectories().size(), size_t(2));
        view.setHiddenPoints({false, false, false, false, false, false, false, false, false, true, false, false});
        QCOMPARE(view.drawnTrajectories().back(), (std::vector<int>{8, 10, 11})); // hidden points leave the line
        view.setSelectedPoint(-1);
        view.setSelection({});
        QVERIFY(view.drawnTrajectories().empty());

        view.setLayoutIsLinear(true); // PCA keeps them all
        QCOMPARE(view.drawnTrajectories().size(), size_t(3));
        QCOMPARE(view.trajectoryOpacity(), full);
    }

    // Axes in the lower left corner show which way the layout's axes point while the 3D map
    // turns; a flat map (its axes are the view's) has none.
    void orientationAxesIn3dOnly()
    {
        MapView view;
        QVERIFY(showView(view));
        view.setPoints(randomPoints(50));
        auto redInCorner = [&] { // the red axis 1
            const QImage image = view.viewport()->grabFramebuffer();
            int red = 0;
            for (int y = int(image.height() * 0.8); y < image.height(); ++y)
                for (int x = 0; x < int(image.width() * 0.14); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    red += c.red() > 170 && c.green() < 90 && c.blue() < 90;
                }
            return red;
        };
        QTest::qWait(100);
        QVERIFY2(redInCorner() > 5, qPrintable(QString::number(redInCorner())));
        view.setTwoDimensional(true);
        QTest::qWait(100);
        QCOMPARE(redInCorner(), 0);
    }

    // Zoomed in until 1/65536 of a map 200 wide spans 44 pixels, far from the map's centre: the
    // points (exact in float there) must land where they are, not where float arithmetic around
    // the origin puts them (tens of pixels off without re-centring on the focal point).
    void deepZoomFarFromTheCentreKeepsTheLayoutsPrecision()
    {
        MapView view;
        QVERIFY(showView(view));
        std::vector<float> xyz = {-100, -100, -100, 100, 100, 100}; // the map's extent
        const int row = 11;
        for (int k = 0; k < row; ++k)
            xyz.insert(xyz.end(), {96.0f + float(k) / 65536.0f, 96.0f, 0.0f});
        view.setPoints(xyz);
        view.setColouring(colourBy(Column::texts("kind", std::vector<std::string>(xyz.size() / 3, "a")))); // no colour bar
        QTest::qWait(100);
        vtkCamera *camera = view.viewport()->renderer()->GetActiveCamera();
        camera->SetFocalPoint(96.0 + 5.0 / 65536.0, 96.0, 0.0);
        camera->SetPosition(96.0 + 5.0 / 65536.0, 96.0, 16.0 / 65536.0);
        camera->SetViewUp(0, 1, 0);
        view.viewport()->renderer()->ResetCameraClippingRange();
        view.viewport()->update();
        QTest::qWait(200);
        const QImage image = view.viewport()->grabFramebuffer();
        const double scale = image.width() / double(view.viewport()->width());
        auto at = [&](QPointF widget) { return (widget * scale).toPoint(); };
        for (int k = 0; k < row; ++k) {
            const QPointF expected = view.widgetPositionOf(2 + k);
            if (!QRect(QPoint(0, 0), view.viewport()->size()).contains(expected.toPoint()))
                continue; // off the sides
            QVERIFY2(inkAround(image, at(expected), 2) > 0, qPrintable(QString("no point %1 at its place").arg(k)));
            if (k + 1 < row) {
                const QPointF between = (expected + QPointF(view.widgetPositionOf(3 + k))) / 2;
                QVERIFY2(inkAround(image, at(between), 2) == 0, qPrintable(QString("ink between points %1 and %2").arg(k).arg(k + 1)));
            }
        }
    }

    // A still frame of very many points drawn from the frontmost point on each pixel looks like
    // the frame of every point: the same pixels inked, nearly all of the same colour.
    void stillFramesOfVeryManyPointsDrawTheFrontmostPerPixel()
    {
        MapView view;
        QVERIFY(showView(view));
        const int count = int(InteractiveDetail::kAggregatedAbove) + 50000;
        view.setPoints(randomPoints(count));
        std::vector<std::string> kinds(static_cast<size_t>(count));
        for (size_t i = 0; i < kinds.size(); ++i)
            kinds[i] = std::string(1, char('a' + (i * 7919) % 8)); // neighbours differ in colour
        view.setColouring(colourBy(Column::texts("kind", kinds)));
        QTest::qWait(100);
        if (!view.viewport()->isSoftwareRenderer())
            QSKIP("a GPU renderer draws every point as a sphere");
        view.viewport()->update();
        QTRY_VERIFY(view.isShowingFrontmostPerPixel());
        const QImage frontmost = view.viewport()->grabFramebuffer();
        view.setFrontmostPerPixel(false);
        QTRY_VERIFY(!view.isShowingFrontmostPerPixel());
        const QImage every = view.viewport()->grabFramebuffer();
        QCOMPARE(frontmost.size(), every.size());
        int inked = 0, inkedDifferently = 0, differentColour = 0;
        for (int y = 0; y < every.height(); ++y)
            for (int x = 0; x < every.width(); ++x) {
                const bool a = every.pixel(x, y) != qRgb(255, 255, 255), b = frontmost.pixel(x, y) != qRgb(255, 255, 255);
                inked += a;
                inkedDifferently += a != b;
                differentColour += a && b && every.pixel(x, y) != frontmost.pixel(x, y);
            }
        QVERIFY2(inked > 20000, qPrintable(QString::number(inked)));
        QVERIFY2(inkedDifferently < inked / 200, qPrintable(QString("%1 of %2").arg(inkedDifferently).arg(inked)));
        QVERIFY2(differentColour < inked / 10, qPrintable(QString("%1 of %2").arg(differentColour).arg(inked)));
    }

    void manyPointsStayResponsiveOnASoftwareRenderer()
    {
        MapView view;
        QVERIFY(showView(view));
        const int count = MapView::kFlatPointsAbove + 10000;
        view.setPoints(randomPoints(count));
        view.setColouring(colourBy(Column::numbers("x", std::vector<double>(size_t(count), 1.0))));
        QTest::qWait(100);
        if (!view.viewport()->isSoftwareRenderer())
            QSKIP("a GPU renderer draws every point as a sphere at any count");
        QVERIFY(!view.pointsAsSpheres());
        QCOMPARE(view.pointDiameters().front(), 4.0f);

        Drag drag(view.viewport());
        drag.moveBy({10, 0});
        drag.moveBy({10, 0});
        QVERIFY(view.isShowingSubset()); // thinned while turning
        drag.release();
        QVERIFY(!view.isShowingSubset()); // every point once the drag ends

        double distance = view.viewport()->renderer()->GetActiveCamera()->GetDistance();
        turnWheel(view.viewport(), 3); // zooming with the wheel is thinned like a drag
        QVERIFY(view.viewport()->renderer()->GetActiveCamera()->GetDistance() < distance);
        QVERIFY(view.isShowingSubset());
        QTRY_VERIFY(!view.isShowingSubset()); // every point once the wheel rests
        const QPoint somewhere = view.widgetPositionOf(17);
        QVERIFY(view.pointAt(somewhere) >= 0); // picking sees every point

        view.setHiddenPoints(std::vector<bool>(size_t(count), true)); // few visible: spheres again
        QVERIFY(view.pointsAsSpheres());
    }
};

QTEST_MAIN(TestMapView)
#include "test_mapview.moc"
