#pragma once
// Element-wise layers of a population, per model: each model's activation and dropout on the
// population's tensors, [B, K*C, ...] (grouped channels; modelAxis 1) or [K, B, F] (modelAxis 0).
#include "torchutil/torchforward.h"
#include "training/dropoutmasks.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

// `models` adjacent models that share an activation.
struct ActivationRun
{
    std::string name;
    int64_t models = 0;
};

// Each run's activation on its models' part of `h` (runs in model order, covering all K models).
at::Tensor activateRuns(const at::Tensor &h, int modelAxis, const std::vector<ActivationRun> &runs);

// `h` times each model's dropout mask (draws in model order, one per model).
at::Tensor applyDropout(const at::Tensor &h, int modelAxis, const std::vector<DropoutDraw> &draws);

} // namespace wse
