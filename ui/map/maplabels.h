#pragma once
// Names drawn into the 3D map at given places (the user's checkpoint labels, each just above
// the middle of its points): text that always faces the camera, dark on a light box so it reads on either
// theme and over points of any colour.
#include <array>
#include <string>
#include <vector>

#include <vtkSmartPointer.h>

class vtkBillboardTextActor3D;
class vtkRenderer;

namespace wse {

class MapLabels
{
public:
    static constexpr int kRaisedPixels = 20; // a name sits this far above the middle of its points

    explicit MapLabels(vtkRenderer *renderer);
    ~MapLabels();
    MapLabels(const MapLabels &) = delete;
    MapLabels &operator=(const MapLabels &) = delete;

    struct Placed
    {
        std::string text;
        std::array<double, 3> position;
    };
    void show(const std::vector<Placed> &labels); // replaces the shown ones; empty clears
    void setScale(double devicePixelRatio);       // text and offset in device pixels

private:
    vtkRenderer *mRenderer;
    std::vector<vtkSmartPointer<vtkBillboardTextActor3D>> mActors;
    double mScale = 1.0;
};

} // namespace wse
