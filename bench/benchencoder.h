#pragma once
// Shared by the SANE benchmarks: an encoder file whose cost is that of a trained one.
#include "sane/saneconfig.h"

#include <string>

namespace wse::bench {

// A randomly initialised encoder of `config` for the CNN-s layout, with unit-scale normalisation
// (the embedding's cost does not depend on the weights' values).
void writeRandomEncoder(const std::string &path, SaneConfig config);

} // namespace wse::bench
