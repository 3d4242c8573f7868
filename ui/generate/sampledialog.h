#pragma once
// Asks how to sample networks around the matching checkpoints: how many to draw and keep, the
// latent bandwidth, the seed.
#include "sane/sampler.h"

#include <QString>

class QWidget;

namespace wse {

// Returns false when the user cancels. `anchors` describes the anchor checkpoints for the text.
bool askSampleSettings(QWidget *parent, const QString &anchors, SampleOptions &options);

} // namespace wse
