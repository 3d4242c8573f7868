#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse sane tokenize|import|train`.
void addSaneCommands(CLI::App &app);
// Registers `wse embed`.
void addEmbedCommand(CLI::App &app);
// Registers `wse probe`.
void addProbeCommand(CLI::App &app);

} // namespace wse
