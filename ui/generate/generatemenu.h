#pragma once
// The explorer's Generate menu and the map's context menu: sample networks (the wizard), decode
// the clicked checkpoint, the path between two selected ones or a spot of the map, export a
// generated network as a PyTorch checkpoint.
#include <QPoint>
#include <QString>

namespace wse {

class MainWindow;

void addGenerateMenu(MainWindow &window);

// Networks along the latent path between the two selected checkpoints; false with the reason.
bool decodeSelectedPath(MainWindow &window, int steps, QString *error);
// One network for a spot of the SANE map (widget coordinates): a map position does not fix the
// per-token latents SANE decodes, so they are the mean of the nearest checkpoints' latents,
// weighted by closeness on the screen. `how` says which checkpoints and weights.
bool decodeSpot(MainWindow &window, const QPoint &spot, QString *error, QString *how = nullptr);

} // namespace wse
