#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// wse project, wse neighbors, wse workspace info
void addMapCommands(CLI::App &app);

} // namespace wse
