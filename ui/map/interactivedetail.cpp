#include "map/interactivedetail.h"

#include <vtkCellArray.h>
#include <vtkCommand.h>
#include <vtkIdList.h>
#include <vtkNew.h>
#include <vtkOpenGLPolyDataMapper.h>
#include <vtkOpenGLVertexBufferObject.h>
#include <vtkPolyData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>

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
    mReduced = false;
    mPoints->SetVerts(mAll);
    mPoints->Modified();
}

void InteractiveDetail::beforeRender()
{
    // The interactor styles raise the desired update rate for the length of a drag (StartState)
    // and drop it to the still rate when it ends (StopState).
    vtkRenderWindow *window = mRenderer->GetRenderWindow();
    const bool interacting = window && window->GetDesiredUpdateRate() > 1.0;
    for (vtkOpenGLPolyDataMapper *mapper : mRecentred)
        mapper->SetPauseShiftScale(interacting);
    const bool reduce = interacting && mSubset;
    if (reduce == mReduced)
        return;
    mReduced = reduce;
    mPoints->SetVerts(reduce ? mSubset : mAll);
    mPoints->Modified();
}

} // namespace wse
