#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// Registers `wse devices [--json]`: the CPU threads, CUDA devices (name, memory) and LibTorch
// version of this wse — what a runner offers to the explorer's jobs.
void addDevicesCommand(CLI::App &app);

} // namespace wse
