#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// wse zoo metrics --spectral ZOO.h5: WeightWatcher's data-free metrics of every checkpoint, stored
// as columns of the zoo (colourable in the explorer) and summarised per layer.
void addZooMetricsCommand(CLI::App &zoo);

} // namespace wse
