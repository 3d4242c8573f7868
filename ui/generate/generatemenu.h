#pragma once
// The explorer's Generate menu and the map's context menu: sample networks (the wizard), decode
// the clicked checkpoint, the path between two selected ones or a spot of the map, export a
// generated network as a PyTorch checkpoint.
#include "sane/sampler.h"

#include <QPoint>
#include <QString>

namespace wse {

class MainWindow;

void addGenerateMenu(MainWindow &window);

// Samples networks around the checkpoints matching the window's filter with the SANE encoder, in
// the background (written next to the workspace or zoo), and shows them on the SANE map. False
// (with the reason) when no encoder is available. (The Sample wizard runs it as a job instead.)
bool sampleAroundFilter(MainWindow &window, SampleOptions options, QString *error);
// Decodes the clicked checkpoint (its reconstruction through the encoder), evaluates it and shows
// it on the SANE map; false with the reason without an encoder or a clicked checkpoint.
bool decodeSelected(MainWindow &window, QString *error);
// Networks along the latent path between the two selected checkpoints; false with the reason.
bool decodeSelectedPath(MainWindow &window, int steps, QString *error);
// One network for a spot of the SANE map (widget coordinates): a map position does not fix the
// per-token latents SANE decodes, so they are the mean of the nearest checkpoints' latents,
// weighted by closeness on the screen. `how` says which checkpoints and weights.
bool decodeSpot(MainWindow &window, const QPoint &spot, QString *error, QString *how = nullptr);

} // namespace wse
