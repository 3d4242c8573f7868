#include "map/interactivedetail.h"

#include "map/frontmostperpixel.h"

#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCommand.h>
#include <vtkIdList.h>
#include <vtkNew.h>
#include <vtkOpenGLPolyDataMapper.h>
#include <vtkOpenGLVertexBufferObject.h>
#include <vtkPolyData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>

#include <algorithm>

namespace wse {

InteractiveDetail::InteractiveDetail(vtkRenderer *renderer, vtkPolyData *points)
    : mRenderer(renderer)
    , mPoints(points)
{
    mObserver = renderer->AddObserver(vtkCommand::StartEvent, this, &InteractiveDetail::beforeRender);
}

InteractiveDetail::~InteractiveDetail() { mRenderer->RemoveObserver(mObserver); }

void InteractiveDetail::setVertices(vtkSmartPointer<vtkCellArray> vertices)
{
    mAll = vertices;
    update();
}

void InteractiveDetail::setReducible(bool reducible)
{
    if (reducible == mReducible)
        return; // the subset stands (setVertices remakes it for new vertices)
    mReducible = reducible;
    if (mAll)
        update();
}

void InteractiveDetail::recentreWhenStill(vtkOpenGLPolyDataMapper *mapper)
{
    if (!mapper)
        return;
    mapper->SetVBOShiftScaleMethod(vtkOpenGLVertexBufferObject::FOCAL_POINT_SHIFT_SCALE);
    mRecentred.push_back(mapper);
}

void InteractiveDetail::setAggregable(bool aggregable)
{
    mAggregable = aggregable;
}

void InteractiveDetail::update()
{
    mSubset = nullptr;
    const vtkIdType count = mAll->GetNumberOfCells();
    if (mReducible && count > kReducedAbove) {
        // Every k-th visible point: an even thinning that keeps the shape of every cluster.
        const vtkIdType stride = (count + kReducedPoints - 1) / kReducedPoints;
        mSubset = vtkSmartPointer<vtkCellArray>::New();
        mSubset->AllocateExact(count / stride + 1, count / stride + 1);
        vtkNew<vtkIdList> cell;
        for (vtkIdType i = 0; i < count; i += stride) {
            mAll->GetCellAtId(i, cell);
            mSubset->InsertNextCell(cell);
        }
    }
    mFrontmost = nullptr;
    mReduced = mAggregated = false;
    mPoints->SetVerts(mAll);
    mPoints->Modified();
}

vtkCellArray *InteractiveDetail::stillVertices()
{
    if (!mAggregable || !mAll || mAll->GetNumberOfCells() <= kAggregatedAbove || !mPoints->GetPoints())
        return mAll;
    const int *size = mRenderer->GetSize();
    const unsigned long stamp[4] = {mRenderer->GetActiveCamera()->GetMTime(), mPoints->GetPoints()->GetMTime(),
                                    mAll->GetMTime(), (unsigned long)(size[0]) << 16 | (unsigned long)(size[1])};
    if (!mFrontmost || !std::equal(stamp, stamp + 4, mFrontmostStamp)) {
        mFrontmost = frontmostPerPixel(mRenderer, mPoints->GetPoints(), mAll);
        std::copy(stamp, stamp + 4, mFrontmostStamp);
    }
    return mFrontmost;
}

void InteractiveDetail::beforeRender()
{
    // The interactor styles raise the desired update rate for the length of a drag (StartState)
    // and drop it to the still rate when it ends (StopState).
    vtkRenderWindow *window = mRenderer->GetRenderWindow();
    const bool interacting = window && window->GetDesiredUpdateRate() > 1.0;
    for (vtkOpenGLPolyDataMapper *mapper : mRecentred)
        mapper->SetPauseShiftScale(interacting);
    vtkCellArray *shown = interacting && mSubset ? mSubset.GetPointer() : interacting ? mAll.GetPointer() : stillVertices();
    mReduced = shown == mSubset.GetPointer() && mSubset;
    mAggregated = shown == mFrontmost.GetPointer() && mFrontmost;
    if (shown == mPoints->GetVerts())
        return;
    mPoints->SetVerts(shown);
    mPoints->Modified();
}

} // namespace wse
