#pragma once
// Official sparsified zoos (Model Zoos' variational-dropout "ARD" networks): their checkpoints store
// each layer's log_sigma2 (and a convolution's log_sigma2_bias) instead of a mask. The official
// layers compute with weights where log_alpha = clamp(log_sigma2 - 2 log(|w| + 1e-15), -10, 10)
// is below 3 and zero elsewhere; a convolution's bias likewise through log_sigma2_bias, a linear
// layer's bias is never masked.
#include "checkpoint/statedict.h"

#include <string>

namespace wse {

// Applies the masks the official code computes and removes the log_sigma2 entries, leaving the
// state_dict of the dense architecture with the pruned weights at zero. Returns the share of the
// masked weights that are zero, or -1 when the state has no log_sigma2 entry. Throws FormatError
// naming `label` when a log_sigma2 has no weight of its shape beside it.
double applyVariationalDropoutMasks(StateDict &state, const std::string &label);

} // namespace wse
