#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse checkpoint info`.
void addCheckpointCommands(CLI::App &app);

} // namespace wse
