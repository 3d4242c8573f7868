#pragma once
// How the official model zoos initialise and activate their networks (model-zoo-spec §2-3), on
// tensors: the population trainer's building blocks, kept apart from its batching.
#include "torchutil/torchforward.h"
#include "zoo/architecture.h"

#include <string>
#include <vector>

namespace wse {

// The activation by its zoo name (tanh, relu, sigmoid, gelu, silu, leaky_relu); throws UsageError
// for another name.
at::Tensor activate(const at::Tensor &x, const std::string &name);

// Fills one weight tensor in place from the model's generator, as torch.nn.init does for `scheme`
// (uniform, normal, kaiming_*, xavier_*, orthogonal, truncated_normal); throws UsageError for another.
void initialiseWeight(at::Tensor weight, const std::string &scheme, at::Generator &generator);

// One model's tensors (state_dict order, as `architecture` lists them) initialised by the official
// rules: `scheme` for conv and linear weights, 0.01 for their biases, BatchNorm weight 1 and bias 0,
// running mean 0 and variance 1. Draws from `generator` in tensor order.
void initialiseModel(const Architecture &architecture, const std::vector<at::Tensor> &tensors, const std::string &scheme,
                     at::Generator &generator);

} // namespace wse
