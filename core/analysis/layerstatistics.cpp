#include "analysis/layerstatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wse {

std::vector<LayerSummary> layerSummaries(const Architecture &architecture, const float *row)
{
    std::vector<LayerSummary> layers;
    int64_t offset = 0;
    for (const TensorSpec &tensor : architecture.tensors) {
        LayerSummary layer;
        layer.key = tensor.key;
        layer.shape = tensor.shapeText();
        layer.count = tensor.numel();
        const float *values = row + offset;
        offset += layer.count;
        if (layer.count == 0) {
            layers.push_back(layer);
            continue;
        }
        double sum = 0, squares = 0, largest = 0;
        layer.minimum = std::numeric_limits<double>::infinity();
        layer.maximum = -std::numeric_limits<double>::infinity();
        for (int64_t i = 0; i < layer.count; ++i) {
            const double v = values[i];
            sum += v;
            squares += v * v;
            layer.minimum = std::min(layer.minimum, v);
            layer.maximum = std::max(layer.maximum, v);
            largest = std::max(largest, std::abs(v));
        }
        layer.mean = sum / double(layer.count);
        layer.std = std::sqrt(std::max(0.0, squares / double(layer.count) - layer.mean * layer.mean));
        layer.norm = std::sqrt(squares);
        int64_t small = 0;
        for (int64_t i = 0; i < layer.count; ++i)
            small += std::abs(double(values[i])) < 1e-3 * largest;
        layer.nearZero = largest > 0 ? double(small) / double(layer.count) : 1.0;
        layers.push_back(layer);
    }
    return layers;
}

std::vector<LayerDifference> layerDifferences(const Architecture &architecture, const float *a, const float *b)
{
    std::vector<LayerDifference> layers;
    int64_t offset = 0;
    for (const TensorSpec &tensor : architecture.tensors) {
        LayerDifference layer;
        layer.key = tensor.key;
        layer.shape = tensor.shapeText();
        double aa = 0, bb = 0, ab = 0, dd = 0;
        for (int64_t i = offset; i < offset + tensor.numel(); ++i) {
            const double x = a[i], y = b[i];
            aa += x * x;
            bb += y * y;
            ab += x * y;
            dd += (x - y) * (x - y);
        }
        offset += tensor.numel();
        layer.normA = std::sqrt(aa);
        layer.normB = std::sqrt(bb);
        layer.distance = std::sqrt(dd);
        layer.relative = layer.normA > 0 ? layer.distance / layer.normA
                                         : (layer.distance > 0 ? std::numeric_limits<double>::infinity() : 0.0);
        layer.cosine = layer.normA > 0 && layer.normB > 0 ? ab / (layer.normA * layer.normB)
                                                          : (layer.normA == layer.normB ? 1.0 : 0.0);
        layers.push_back(layer);
    }
    return layers;
}

} // namespace wse
