#include "sane/permutation.h"

#include "common/error.h"

#include <algorithm>
#include <numeric>

namespace wse {

NeuronPermuter::NeuronPermuter(const Architecture &architecture)
{
    int64_t offset = 0;
    for (size_t t = 0; t < architecture.tensors.size(); ++t) {
        const TensorSpec &tensor = architecture.tensors[t];
        const bool isWeight = tensor.key.size() > 7 && tensor.key.compare(tensor.key.size() - 7, 7, ".weight") == 0;
        if (isWeight) {
            if (tensor.shape.size() < 2)
                throw UsageError("neuron permutations: " + tensor.key + " is not a layer weight (" + tensor.shapeText() + ")");
            Layer layer;
            layer.weightOffset = offset;
            layer.outputs = tensor.shape[0];
            layer.rowSize = tensor.numel() / layer.outputs;
            layer.inputBlock = layer.rowSize / tensor.shape[1];
            mLayers.push_back(layer);
            mInputs.push_back(tensor.shape[1]);
        } else if (!mLayers.empty() && tensor.shape == std::vector<int64_t>{mLayers.back().outputs} &&
                   mLayers.back().biasOffset < 0) {
            mLayers.back().biasOffset = offset;
        } else {
            throw UsageError("neuron permutations: unexpected tensor " + tensor.key + " in " + architecture.name);
        }
        offset += tensor.numel();
    }
    for (size_t i = 0; i + 1 < mLayers.size(); ++i)
        if (mInputs[i + 1] % mLayers[i].outputs != 0)
            throw UsageError("neuron permutations: layer " + std::to_string(i + 1) + " of " + architecture.name + " takes " +
                             std::to_string(mInputs[i + 1]) + " inputs, not a multiple of the " +
                             std::to_string(mLayers[i].outputs) + " outputs before it");
    if (mLayers.size() < 2)
        throw UsageError("neuron permutations: " + architecture.name + " has no hidden layer");
}

void NeuronPermuter::permute(float *row, std::mt19937_64 &random) const
{
    std::vector<float> copy;
    for (size_t i = 0; i + 1 < mLayers.size(); ++i) { // the output layer keeps its class order
        const Layer &layer = mLayers[i];
        std::vector<int64_t> order(static_cast<size_t>(layer.outputs));
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), random);
        // Outgoing: rows of the weight and entries of the bias.
        copy.assign(row + layer.weightOffset, row + layer.weightOffset + layer.outputs * layer.rowSize);
        for (int64_t r = 0; r < layer.outputs; ++r)
            std::copy_n(copy.begin() + order[size_t(r)] * layer.rowSize, layer.rowSize, row + layer.weightOffset + r * layer.rowSize);
        if (layer.biasOffset >= 0) {
            copy.assign(row + layer.biasOffset, row + layer.biasOffset + layer.outputs);
            for (int64_t r = 0; r < layer.outputs; ++r)
                row[layer.biasOffset + r] = copy[size_t(order[size_t(r)])];
        }
        // Incoming of the next layer: its input units, in blocks when a feature map was flattened.
        const Layer &next = mLayers[i + 1];
        const int64_t unitsPerOutput = mInputs[i + 1] / layer.outputs; // spatial positions per channel
        const int64_t block = unitsPerOutput * next.inputBlock;
        float *weights = row + next.weightOffset;
        for (int64_t r = 0; r < next.outputs; ++r) {
            float *nextRow = weights + r * next.rowSize;
            copy.assign(nextRow, nextRow + next.rowSize);
            for (int64_t c = 0; c < layer.outputs; ++c)
                std::copy_n(copy.begin() + order[size_t(c)] * block, block, nextRow + c * block);
        }
    }
}

} // namespace wse
