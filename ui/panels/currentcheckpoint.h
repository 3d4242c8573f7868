#pragma once
// The details and the training curve of the document's current checkpoint (the clicked one), with
// its nearest neighbours on the shown map; cleared when there is none.
namespace wse {

class DetailsPanel;
class ExplorerDocument;
class MetricChart;

void showCurrentCheckpoint(ExplorerDocument &document, DetailsPanel *details, MetricChart *curve);

} // namespace wse
