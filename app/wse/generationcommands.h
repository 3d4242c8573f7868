#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse sample` and `wse decode`.
void addGenerationCommands(CLI::App &app);

} // namespace wse
