#pragma once
// Level of detail while the map is being turned: on a software renderer (llvmpipe draws ~1.3
// million points a second) a map of more than kReducedAbove points shows an even subset of about
// kReducedPoints of them during a drag, and all of them again when the drag ends, so that each
// frame of the drag stays well under 100 ms. ParaView does the same with its LOD threshold.
// Still frames of more than kAggregatedAbove points of one size draw only the frontmost point on
// each pixel (map/frontmostperpixel.h): nearly the same picture from far fewer points when zoomed
// out, every point when zoomed in; made again when the camera, the view's size or the points change.
//
// The mappers given to recentreWhenStill draw coordinates re-centred on the camera's focal point
// (VTK's focal-point shift and scale, done in double precision before the float upload), so a
// deep zoom anywhere in a large map keeps the layout's own precision instead of the GPU's float
// error around the origin. The re-centred copy is made again only in still frames: a drag does
// not upload a million points at every move.
#include <vtkSmartPointer.h>

#include <vector>

class vtkCellArray;
class vtkOpenGLPolyDataMapper;
class vtkPolyData;
class vtkRenderWindow;
class vtkRenderer;

namespace wse {

class InteractiveDetail
{
public:
    static constexpr long long kReducedAbove = 30000;
    static constexpr long long kReducedPoints = 20000;
    static constexpr long long kAggregatedAbove = 200000;

    InteractiveDetail(vtkRenderer *renderer, vtkPolyData *points);
    ~InteractiveDetail();
    InteractiveDetail(const InteractiveDetail &) = delete;
    InteractiveDetail &operator=(const InteractiveDetail &) = delete;

    // The vertices to draw when still (the visible points).
    void setVertices(vtkSmartPointer<vtkCellArray> vertices);
    // Whether drags may thin them (a software renderer).
    void setReducible(bool reducible);
    bool isReduced() const { return mReduced; } // the last frame showed the subset
    // Whether still frames may draw the frontmost point per pixel (a software renderer, points of
    // one size); off, they draw every point.
    void setAggregable(bool aggregable);
    bool isAggregated() const { return mAggregated; } // the last frame drew the frontmost points
    void recentreWhenStill(vtkOpenGLPolyDataMapper *mapper);

private:
    void beforeRender(); // the renderer's StartEvent: subset while interacting, else all
    void update(); // the subset for the vertices, all of them shown
    vtkCellArray *stillVertices(); // every vertex, or the frontmost per pixel (made again as needed)

    vtkRenderer *mRenderer;
    vtkPolyData *mPoints;
    vtkSmartPointer<vtkCellArray> mAll, mSubset, mFrontmost;
    unsigned long mFrontmostStamp[4] = {0, 0, 0, 0}; // camera, points, vertices and size it was made for
    std::vector<vtkOpenGLPolyDataMapper *> mRecentred; // the view's, alive while it renders
    bool mReducible = false, mReduced = false, mAggregable = false, mAggregated = false;
    unsigned long mObserver = 0;
};

} // namespace wse
