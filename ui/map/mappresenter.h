#pragma once
// Shows the explorer's document on the map: points and trajectories of the shown map, its layout
// (computed in the background by the LayoutController), colours, sizes, hidden points, selection,
// the current point with its neighbours, label names and generated networks — each redrawn when the
// document announces its change. What the user does on the map (a click, a drag) goes back to the
// document as an edit; the view holds no state of its own.
#include <QObject>

namespace wse {

struct ChangeEvent;
class ExplorerDocument;
class GenerationController;
class LayoutController;
class MapView;

class MapPresenter : public QObject
{
    Q_OBJECT

public:
    MapPresenter(ExplorerDocument &document, MapView *view, LayoutController *layouts, GenerationController *generation,
                 QObject *parent = nullptr);

private:
    void react(const ChangeEvent &event);
    void showPoints();
    void showLayout();
    void showCurrent();
    void showLabels();

    ExplorerDocument &mDocument;
    MapView *mView;
    LayoutController *mLayouts;
    GenerationController *mGeneration;
};

} // namespace wse
