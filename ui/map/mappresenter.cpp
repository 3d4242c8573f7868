#include "map/mappresenter.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "map/hovercard.h"
#include "map/layoutcontroller.h"
#include "map/mapview.h"

#include "workspace/checkpointlabels.h"

#include <map>

namespace wse {

MapPresenter::MapPresenter(ExplorerDocument &document, MapView *view, LayoutController *layouts,
                           GenerationController *generation, QObject *parent)
    : QObject(parent), mDocument(document), mView(view), mLayouts(layouts), mGeneration(generation)
{
    connect(&document, &ExplorerDocument::changed, this, &MapPresenter::react);
    connect(view, &MapView::selectionDragged, this,
            [this](const std::vector<int> &points) { mDocument.selectPoints(points, tr("Select on the Map")); });
    connect(view, &MapView::pointClicked, this, [this](int point) { mDocument.setCurrentPoint(point); });
    connect(layouts, &LayoutController::layoutReady, this,
            [this] { mGeneration->place(mDocument.view().map, mDocument.view().layout); });
    view->setHoverText([this](int point) {
        return mDocument.zoo() ? hoverCard(mDocument.zoo()->zoo(), mDocument.checkpointOf(point)) : QString();
    });
}

void MapPresenter::react(const ChangeEvent &event)
{
    if (!mDocument.zoo())
        return;
    using Type = ChangeEvent::Type;
    switch (event.type) {
    case Type::Map: showPoints(); break;
    case Type::Layout: showLayout(); break;
    case Type::Flat: mView->setTwoDimensional(mDocument.view().flat); break;
    case Type::Colouring: mView->setColouring(mDocument.colouring()); break;
    case Type::Hidden: mView->setHiddenPoints(mDocument.hiddenPoints()); break;
    case Type::SizeBy: mView->setPointSizeValues(mDocument.sizeValues()); break;
    case Type::Selection: mView->setSelection(mDocument.selectedPoints()); break;
    case Type::Current: showCurrent(); break;
    case Type::Labels: showLabels(); break;
    default: break;
    }
}

// Other points: the PCA at once, then the chosen layout (kept or computed); what is drawn on the
// points follows in the document's further events.
void MapPresenter::showPoints()
{
    const WeightMap &map = mDocument.shownMap();
    mView->setPoints(map.pca.coordinates);
    mView->setTrajectories(map.trajectories(mDocument.zoo()->zoo()));
    mView->setLayoutIsLinear(mDocument.view().layout == ProjectionMethod::Pca);
    mLayouts->show(mDocument.view().map, mDocument.view().layout);
    mGeneration->place(mDocument.view().map, mDocument.view().layout);
}

// The same points at other positions: colours, selection and trajectories stay.
void MapPresenter::showLayout()
{
    mView->setLayoutIsLinear(mDocument.view().layout == ProjectionMethod::Pca);
    if (mDocument.view().layout == ProjectionMethod::Pca)
        mView->movePoints(mDocument.shownMap().pca.coordinates, true);
    mLayouts->show(mDocument.view().map, mDocument.view().layout);
    mGeneration->place(mDocument.view().map, mDocument.view().layout);
}

void MapPresenter::showCurrent()
{
    mView->setSelectedPoint(mDocument.currentPoint());
    std::vector<int> neighbours;
    for (const auto &[point, distance] : mDocument.currentNeighbours())
        neighbours.push_back(point);
    mView->setNeighbourPoints(neighbours);
}

// Each label's name at its checkpoints on the shown map.
void MapPresenter::showLabels()
{
    const ZooDocument &zoo = *mDocument.zoo();
    const std::vector<int64_t> &onMap = mDocument.shownMap().checkpoints;
    std::map<int64_t, int> pointOf;
    for (size_t i = 0; i < onMap.size(); ++i)
        pointOf.emplace(onMap[i], int(i));
    std::vector<MapView::PointGroup> groups;
    for (const WorkspaceLabel &label : labelsIn(zoo.zoo(), zoo.labelColumn())) {
        MapView::PointGroup group{QString::fromStdString(label.name), {}};
        for (int64_t checkpoint : label.checkpoints)
            if (const auto it = pointOf.find(checkpoint); it != pointOf.end())
                group.points.push_back(it->second);
        if (!group.points.empty())
            groups.push_back(std::move(group));
    }
    mView->setPointGroups(std::move(groups));
}

} // namespace wse
