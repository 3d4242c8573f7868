#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse info FILE`: what a file or folder is, by its content (formats/fileformat.h), and
// its summary. The explorer runs it in a child process to try a file before opening it.
void addInfoCommand(CLI::App &app);

} // namespace wse
