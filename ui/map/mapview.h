#pragma once
// The 3D scatter plot of a map: one point per checkpoint, coloured per point, with a colour bar
// for continuous colourings, hover cards, click-to-select (the current point) and a selection of
// many points made by Shift-dragging a box or a lasso (Ctrl adds, Alt removes, both intersect);
// unselected points fade while a selection exists.
#include "map/colouring.h"

#include <QPointF>
#include <QPolygonF>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

namespace wse {

class SelectionOverlay;
class VtkOpenGLWidget;

enum class SelectionMode { Replace, Add, Remove, Intersect };
enum class SelectionTool { Box, Lasso };

class MapView : public QWidget
{
    Q_OBJECT

public:
    explicit MapView(QWidget *parent = nullptr);
    ~MapView() override;

    // xyz: 3 floats per point. Resets colours, selection and camera.
    void setPoints(const std::vector<float> &xyz);
    // Moves the same points (a layout converging), keeping colours, selection and lines;
    // `fit` refits the camera. A different point count falls back to setPoints.
    void movePoints(const std::vector<float> &xyz, bool fit);
    int pointCount() const;
    const std::vector<float> &layoutCoordinates() const; // as given (3D, also in 2D mode)
    // Generated networks (sampled or decoded) placed into the map, drawn as larger dark squares
    // (a colour per point: its kind; default near-black); empty clears. They are not pickable and
    // survive colouring changes.
    void setOverlayPoints(const std::vector<float> &xyz, const std::vector<Rgb> &colours = {});
    const std::vector<Rgb> &overlayColours() const;
    int overlayPointCount() const;
    // Points not drawn and not pickable (categories hidden in the legend); empty shows all.
    void setHiddenPoints(const std::vector<bool> &hidden);
    int visiblePointCount() const;
    bool isHidden(int index) const;
    void setColouring(const Colouring &colouring);
    // Sizes the points by a value each (a column; NaN: the smallest size), point areas growing
    // with the value (map/pointsizes.h); empty: every point one size. Reset by setPoints.
    void setPointSizeValues(const std::vector<double> &values);
    const std::vector<double> &pointSizeValues() const;
    const std::vector<float> &pointDiameters() const; // per point, pixels, as drawn
    // Shaded spheres, or flat squares where a software renderer shows more than
    // kFlatPointsAbove points (so that a frame stays fast).
    bool pointsAsSpheres() const;
    static constexpr int kFlatPointsAbove = 30000;
    // The last frame drew an even subset of the points (a drag on a software renderer; see
    // map/interactivedetail.h).
    bool isShowingSubset() const;
    // Still frames of more than InteractiveDetail::kAggregatedAbove flat points of one size draw
    // the frontmost point on each pixel (nearly the same picture); off, every point (the benchmark
    // compares both). On by default.
    void setFrontmostPerPixel(bool allowed);
    bool isShowingFrontmostPerPixel() const; // the last frame did
    // Polylines through point indices (each model's checkpoints in epoch order), drawn in the
    // points' colours so a colour gradient along a line shows change over training.
    void setTrajectories(const std::vector<std::vector<int>> &lines);
    void setTrajectoriesVisible(bool visible);
    // How trajectories are drawn where the layout is not linear (t-SNE, UMAP): there a model's
    // checkpoints may lie far apart and straight lines between them cross the whole map. A
    // linear layout (PCA) always draws them in full.
    enum class TrajectoryEmphasis { Full, Faint, SelectedOnly };
    void setNonLinearTrajectories(TrajectoryEmphasis emphasis);
    void setLayoutIsLinear(bool linear);
    TrajectoryEmphasis trajectoryEmphasis() const; // as drawn now
    // Names drawn on the map, each at the mean of its visible points as shown (the user's
    // checkpoint labels); cleared by setPoints.
    struct PointGroup
    {
        QString name;
        std::vector<int> points;
    };
    void setPointGroups(std::vector<PointGroup> groups);
    const std::vector<PointGroup> &pointGroups() const { return mGroups; }
    // Returns the HTML shown when hovering point i.
    void setHoverText(std::function<QString(int)> provider);

    int selectedPoint() const { return mSelected; }
    // The current point's nearest neighbours, marked in orange (empty clears).
    void setNeighbourPoints(const std::vector<int> &points);
    const std::vector<int> &neighbourPoints() const { return mNeighbours; }
    void setSelectedPoint(int index); // -1 clears

    // The selection: sorted point indices. setSelection applies and emits selectionChanged; a
    // drag on the map only emits selectionDragged with the result, for the owner to apply
    // (undoably).
    const std::vector<int> &selection() const { return mSelection; }
    void setSelection(std::vector<int> points);
    // The selection after selecting the visible points inside `outline` (widget coordinates).
    std::vector<int> selectionInOutline(const QPolygonF &outline, SelectionMode mode) const;
    void setSelectionTool(SelectionTool tool) { mTool = tool; }
    SelectionTool selectionTool() const { return mTool; }

    // The point under a widget position (within a few pixels), or -1.
    int pointAt(const QPoint &position) const;
    // Where point i appears in widget coordinates (for tests and overlays).
    QPoint widgetPositionOf(int index) const;

    // What is drawn, as seen: widget coordinates and depth (0 near, 1 far) of every point and
    // generated network, the colouring and the trajectories (for vector figures).
    struct ProjectedPoint
    {
        QPointF position;
        double depth = 0;
    };
    std::vector<ProjectedPoint> projectedPoints() const;
    std::vector<ProjectedPoint> projectedOverlay() const;
    const Colouring &colouring() const;
    std::vector<std::vector<int>> drawnTrajectories() const; // as drawn: visible points, emphasis
    double trajectoryOpacity() const;
    bool trajectoriesVisible() const;

    void resetCamera();
    VtkOpenGLWidget *viewport() const;

    // A flat map: every point (and generated network) at depth 0 of its layout's first two axes,
    // seen from above with a parallel projection; left-drag pans. Off: the 3D view.
    void setTwoDimensional(bool flat);
    // The dark theme's map: a dark background, light colour-bar text.
    void setDarkBackground(bool dark);
    bool isTwoDimensional() const { return mFlat; }

Q_SIGNALS:
    void pointClicked(int index); // -1 for a click on empty space
    void pointHovered(int index);
    void selectionChanged();
    void selectionDragged(const std::vector<int> &selection);
    void contextMenuRequested(const QPoint &position); // a right click (not a zoom drag)

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    std::vector<ProjectedPoint> project(const std::vector<float> &xyz) const;
    void applyColours(); // the colouring, faded outside the selection
    void updatePointStyle(); // spheres or flat squares, and every point's diameter
    void placeGroupNames();  // after the points moved, were hidden or the groups changed
    std::vector<float> shown(const std::vector<float> &xyz) const; // flattened in 2D
    bool dragSelection(QEvent *event); // Shift-drag: true when the event was a selection's
    void drawTrajectories(); // the line cells, for the hidden points, selection and emphasis
    void showOrientationAxes();

    struct Scene;
    std::unique_ptr<Scene> d;
    std::function<QString(int)> mHoverText;
    int mSelected = -1;
    TrajectoryEmphasis mNonLinearTrajectories = TrajectoryEmphasis::Faint;
    bool mLinearLayout = true;
    QPoint mPressPosition, mRightPressPosition;
    bool mPressed = false;
    std::vector<int> mSelection;
    std::vector<int> mNeighbours;
    std::vector<PointGroup> mGroups;
    SelectionTool mTool = SelectionTool::Box;
    SelectionOverlay *mOverlay = nullptr;
    QPolygonF mOutline; // the selection being dragged
    bool mSelecting = false;
    bool mFlat = false;
    bool mDark = false;
};

} // namespace wse
