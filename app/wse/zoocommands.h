#pragma once
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace wse {

// What `wse zoo info` prints, for `wse info` too: reads the zoo's tables (not its weights).
void printZooSummary(const std::string &path, bool asJson);

// Registers `wse zoo train` and `wse zoo info` on the given app.
void addZooCommands(CLI::App &app);

} // namespace wse
