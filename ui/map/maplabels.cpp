#include "map/maplabels.h"

#include <vtkBillboardTextActor3D.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>

namespace wse {

MapLabels::MapLabels(vtkRenderer *renderer) : mRenderer(renderer) {}

MapLabels::~MapLabels() { show({}); }

void MapLabels::setScale(double devicePixelRatio)
{
    if (devicePixelRatio == mScale)
        return;
    mScale = devicePixelRatio;
    for (const auto &actor : mActors) {
        actor->GetTextProperty()->SetFontSize(int(15 * mScale));
        actor->SetDisplayOffset(0, int(kRaisedPixels * mScale));
    }
}

void MapLabels::show(const std::vector<Placed> &labels)
{
    while (mActors.size() > labels.size()) {
        mRenderer->RemoveActor(mActors.back());
        mActors.pop_back();
    }
    while (mActors.size() < labels.size()) {
        auto actor = vtkSmartPointer<vtkBillboardTextActor3D>::New();
        vtkTextProperty *text = actor->GetTextProperty();
        text->SetFontSize(int(15 * mScale));
        text->BoldOn();
        text->ShadowOff();
        text->SetColor(0.12, 0.12, 0.14);
        text->SetBackgroundColor(1.0, 1.0, 1.0);
        text->SetBackgroundOpacity(0.8);
        text->FrameOn();
        text->SetFrameColor(0.35, 0.35, 0.4);
        text->SetJustificationToCentered();
        text->SetVerticalJustificationToCentered();
        actor->SetDisplayOffset(0, int(kRaisedPixels * mScale)); // above its points rather than over them
        actor->PickableOff();
        mRenderer->AddActor(actor);
        mActors.push_back(actor);
    }
    for (size_t i = 0; i < labels.size(); ++i) {
        mActors[i]->SetInput(labels[i].text.c_str());
        std::array<double, 3> position = labels[i].position;
        mActors[i]->SetPosition(position.data());
    }
}

} // namespace wse
