#pragma once
#include <CLI/CLI.hpp>

namespace wse {

// wse zoo prune ZOO.h5 --sparsity 0.5 0.8 0.9 [--global] [--finetune E] -o TWINS.h5: magnitude-pruned
// twins of zoo checkpoints, evaluated (and fine-tuned with their masks), with their dense sources.
void addZooPruneCommand(CLI::App &zoo);

} // namespace wse
