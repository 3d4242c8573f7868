#include "panels/currentcheckpoint.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"
#include "panels/detailspanel.h"
#include "panels/metricchart.h"

namespace wse {

void showCurrentCheckpoint(ExplorerDocument &document, DetailsPanel *details, MetricChart *curve)
{
    QObject::connect(&document, &ExplorerDocument::changed, details, [&document, details, curve](const ChangeEvent &event) {
        if (event.type != ChangeEvent::Type::Current)
            return;
        const int point = document.currentPoint();
        if (!document.zoo() || point < 0) {
            details->clearDetails();
            curve->clearChart();
            return;
        }
        const Zoo &zoo = document.zoo()->zoo();
        details->showCheckpoint(zoo, document.currentCheckpoint());
        curve->showModelOf(zoo, document.currentCheckpoint());
        std::vector<std::pair<int64_t, double>> neighbours;
        for (const auto &[other, distance] : document.currentNeighbours())
            neighbours.emplace_back(document.checkpointOf(other), distance);
        details->showNeighbours(zoo, neighbours, QString::fromStdString(mapSourceDescription(document.view().map)).toLower());
    });
}

} // namespace wse
