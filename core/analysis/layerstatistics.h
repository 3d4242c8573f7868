#pragma once
// What a network's layers hold, tensor by tensor: size, mean, spread, range, norm and how much
// of it is (near) zero; and how two networks of one architecture differ, layer by layer
// (distance, relative distance, cosine similarity) — the explorer's Layers panel and compare view.
#include "zoo/architecture.h"

#include <string>
#include <vector>

namespace wse {

struct LayerSummary
{
    std::string key, shape; // state_dict key, "[8, 1, 5, 5]"
    int64_t count = 0;
    double mean = 0, std = 0, minimum = 0, maximum = 0, norm = 0;
    double nearZero = 0; // fraction with |w| < 1e-3 of the tensor's largest |w|
};

struct LayerDifference
{
    std::string key, shape;
    double normA = 0, normB = 0, distance = 0; // L2 norms and ||a - b||
    double relative = 0;                       // ||a - b|| / ||a|| (inf when a is zero and b is not)
    double cosine = 0;                         // a.b / (||a|| ||b||); 1 for two zero tensors
};

// `row`: one flattened checkpoint (architecture.numel() floats).
std::vector<LayerSummary> layerSummaries(const Architecture &architecture, const float *row);
std::vector<LayerDifference> layerDifferences(const Architecture &architecture, const float *a, const float *b);

} // namespace wse
