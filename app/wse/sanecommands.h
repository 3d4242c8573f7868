#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse sane tokenize`.
void addSaneCommands(CLI::App &app);

} // namespace wse
