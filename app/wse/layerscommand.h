#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse zoo layers ZOO.h5 MODEL:EPOCH [MODEL:EPOCH]`: the explorer's Layers panel as a table.
void addZooLayersCommand(CLI::App &zoo);

} // namespace wse
