#pragma once
// The explorer's Map menu: embed the zoo with a SANE encoder (a job in the job centre, on the
// device chosen, then the SANE map opens), the parameters of the t-SNE and UMAP layouts and the
// layouts computed so far.
#include "analysis/projection.h"

#include <QString>

namespace wse {

class MainWindow;

void addMapMenu(MainWindow &window);
// Starts embedding the open zoo with the encoder; false with the reason (no zoo, no encoder file).
bool embedOpenZoo(MainWindow &window, const QString &encoderPath, const QString &device, const QString &precision,
                  QString *error);
// Sets layout parameters by their scikit-learn / umap-learn names ("perplexity=50 seed=3") for
// the shown layout's method and recomputes it; false with the reason for an unknown key or value.
bool setLayoutParameters(MainWindow &window, const QString &assignments, QString *error);
// Shows a layout with these parameters (kept from before, or computed): Map ▸ Computed Layouts.
void showLayoutVariant(MainWindow &window, const ProjectionSettings &settings);

} // namespace wse
