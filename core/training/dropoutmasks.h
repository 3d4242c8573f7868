#pragma once
// Dropout masks for a whole population at once, drawn by a counter-based hash: element i of a
// model's mask depends only on i and two numbers drawn from that model's own random stream, so a
// model gets the same masks in any population (and alone), and on the CPU and CUDA alike.
#include "torchutil/torchforward.h"

#include <cstdint>
#include <vector>

namespace wse {

// One model's draw for one mask: its keep probability and hash keys.
struct DropoutDraw
{
    double probability = 0.0; // of dropping an element; 0: the mask is all ones, nothing drawn
    uint32_t keyA = 0, keyB = 0;
};

// Draws the hash keys of one mask from `generator` (two 32-bit numbers; none when probability is 0).
DropoutDraw drawDropout(double probability, at::Generator &generator);

// [K, perModel...] float masks on `like`'s device: 0 where an element is dropped, 1 / (1 - p)
// where it is kept (inverted dropout, as torch.nn.Dropout). Elements are numbered in row-major
// order of `perModel`. The CPU computes them in a loop, CUDA with integer tensor operations.
at::Tensor dropoutMasks(const std::vector<DropoutDraw> &draws, const std::vector<int64_t> &perModel, const at::Tensor &like);

// The tensor-operation form on any device: what CUDA runs, exposed so the CPU can check it.
at::Tensor dropoutMasksByTensorOps(const std::vector<DropoutDraw> &draws, const std::vector<int64_t> &perModel,
                                   const at::Tensor &like);

} // namespace wse
