#include "training/populationops.h"

#include "training/officialrules.h"

#include <torch/torch.h>

namespace wse {

at::Tensor activateRuns(const at::Tensor &h, int modelAxis, const std::vector<ActivationRun> &runs)
{
    if (runs.size() == 1)
        return activate(h, runs.front().name);
    int64_t models = 0;
    for (const ActivationRun &run : runs)
        models += run.models;
    // Grouped channels in memory order: a matrix with the model axis as its last dimension
    // ([B*H*W, K*C] when channels-last), so each run is a block of columns and joining the runs
    // back writes the layout the next convolution wants (no copy into it afterwards).
    const bool channelsLast = modelAxis == 1 && h.dim() == 4 && h.is_contiguous(at::MemoryFormat::ChannelsLast);
    const torch::Tensor matrix = modelAxis == 0 ? h.reshape({models, -1})
                                 : channelsLast ? h.permute({0, 2, 3, 1}).reshape({-1, h.size(1)})
                                                : h.reshape({h.size(0), h.size(1), -1});
    const int axis = modelAxis == 0 ? 0 : 1;
    const int64_t perModel = matrix.size(axis) / models;
    // One split, not a narrow per run: a narrow's gradient is a zero-filled tensor of the whole
    // size per run, the split's one concatenation (an epoch of 64 models with six activations:
    // 1.36-1.44 s with narrows and a copy back to channels-last, 1.13 s now).
    std::vector<int64_t> sizes;
    for (const ActivationRun &run : runs)
        sizes.push_back(run.models * perModel);
    const std::vector<torch::Tensor> pieces = matrix.split_with_sizes(sizes, axis);
    std::vector<torch::Tensor> parts;
    for (size_t r = 0; r < runs.size(); ++r)
        parts.push_back(activate(pieces[r], runs[r].name));
    const torch::Tensor joined = torch::cat(parts, axis);
    if (channelsLast)
        return joined.view({h.size(0), h.size(2), h.size(3), h.size(1)}).permute({0, 3, 1, 2});
    return joined.view(h.sizes());
}

// The masks of all models come from one hash over their elements (dropoutmasks.h): a Bernoulli
// draw per element from each model's generator took ~20 ns an element, ~250 us per model for
// CNN-s's first dropout, longer than the rest of a training step.
at::Tensor applyDropout(const at::Tensor &h, int modelAxis, const std::vector<DropoutDraw> &draws)
{
    const int64_t models = int64_t(draws.size());
    std::vector<int64_t> perModel = h.sizes().vec(); // one model's mask, in its own order
    if (modelAxis == 0) {
        perModel.erase(perModel.begin());
        return h * dropoutMasks(draws, perModel, h);
    }
    perModel[1] /= models;
    std::vector<int64_t> split = perModel; // [B, K, C, ...]: h's layout, the model axis split out
    split.insert(split.begin() + 1, models);
    torch::Tensor masks = torch::empty_like(h); // h's memory format
    masks.view(split).copy_(dropoutMasks(draws, perModel, h).transpose(0, 1));
    return h * masks;
}

} // namespace wse
