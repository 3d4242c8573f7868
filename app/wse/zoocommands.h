#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse zoo train` and `wse zoo info` on the given app.
void addZooCommands(CLI::App &app);

} // namespace wse
