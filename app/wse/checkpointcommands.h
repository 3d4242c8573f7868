#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace wse {

// What `wse checkpoint info` prints, for `wse info` too.
void printCheckpointSummary(const std::string &path, bool asJson);

// Registers `wse checkpoint info`.
void addCheckpointCommands(CLI::App &app);

} // namespace wse
