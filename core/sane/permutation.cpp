#include "sane/permutation.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
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

NeuronPermuter::Orders NeuronPermuter::identity() const
{
    Orders orders;
    for (size_t i = 0; i + 1 < mLayers.size(); ++i) { // the output layer keeps its class order
        orders.emplace_back(static_cast<size_t>(mLayers[i].outputs));
        std::iota(orders.back().begin(), orders.back().end(), 0);
    }
    return orders;
}

void NeuronPermuter::permute(float *row, std::mt19937_64 &random) const
{
    Orders orders = identity();
    for (std::vector<int64_t> &order : orders)
        std::shuffle(order.begin(), order.end(), random);
    apply(row, orders);
}

void NeuronPermuter::apply(float *row, const Orders &orders) const
{
    std::vector<float> copy;
    for (size_t i = 0; i + 1 < mLayers.size(); ++i) {
        const Layer &layer = mLayers[i];
        const std::vector<int64_t> &order = orders[i];
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
        const int64_t block = mInputs[i + 1] / layer.outputs * next.inputBlock;
        float *weights = row + next.weightOffset;
        for (int64_t r = 0; r < next.outputs; ++r) {
            float *nextRow = weights + r * next.rowSize;
            copy.assign(nextRow, nextRow + next.rowSize);
            for (int64_t c = 0; c < layer.outputs; ++c)
                std::copy_n(copy.begin() + order[size_t(c)] * block, block, nextRow + c * block);
        }
    }
}

namespace {

// Linear sum assignment (Hungarian method with potentials, O(n^3)): the column of each row that
// maximises the total score.
std::vector<int64_t> bestAssignment(const std::vector<double> &score, int64_t n)
{
    const double infinity = std::numeric_limits<double>::infinity();
    std::vector<double> u(size_t(n + 1), 0.0), v(size_t(n + 1), 0.0);
    std::vector<int64_t> columnRow(size_t(n + 1), 0), way(size_t(n + 1), 0);
    auto cost = [&](int64_t r, int64_t c) { return -score[size_t((r - 1) * n + (c - 1))]; };
    for (int64_t r = 1; r <= n; ++r) {
        columnRow[0] = r;
        int64_t column = 0;
        std::vector<double> smallest(size_t(n + 1), infinity);
        std::vector<bool> used(size_t(n + 1), false);
        do {
            used[size_t(column)] = true;
            const int64_t row = columnRow[size_t(column)];
            double delta = infinity;
            int64_t next = 0;
            for (int64_t c = 1; c <= n; ++c)
                if (!used[size_t(c)]) {
                    const double reduced = cost(row, c) - u[size_t(row)] - v[size_t(c)];
                    if (reduced < smallest[size_t(c)]) {
                        smallest[size_t(c)] = reduced;
                        way[size_t(c)] = column;
                    }
                    if (smallest[size_t(c)] < delta) {
                        delta = smallest[size_t(c)];
                        next = c;
                    }
                }
            for (int64_t c = 0; c <= n; ++c)
                if (used[size_t(c)]) {
                    u[size_t(columnRow[size_t(c)])] += delta;
                    v[size_t(c)] -= delta;
                } else {
                    smallest[size_t(c)] -= delta;
                }
            column = next;
        } while (columnRow[size_t(column)] != 0);
        do {
            const int64_t previous = way[size_t(column)];
            columnRow[size_t(column)] = columnRow[size_t(previous)];
            column = previous;
        } while (column != 0);
    }
    std::vector<int64_t> assignment(static_cast<size_t>(n));
    for (int64_t c = 1; c <= n; ++c)
        assignment[size_t(columnRow[size_t(c)] - 1)] = c - 1;
    return assignment;
}

} // namespace

std::vector<double> NeuronPermuter::unitNorms(const Layer &layer, const float *row)
{
    std::vector<double> norm(static_cast<size_t>(layer.outputs), 0.0);
    for (int64_t r = 0; r < layer.outputs; ++r) {
        const float *weights = row + layer.weightOffset + r * layer.rowSize;
        for (int64_t k = 0; k < layer.rowSize; ++k)
            norm[size_t(r)] += double(weights[k]) * weights[k];
        if (layer.biasOffset >= 0)
            norm[size_t(r)] += double(row[layer.biasOffset + r]) * row[layer.biasOffset + r];
    }
    return norm;
}

std::vector<float> NeuronPermuter::signature(const float *row) const
{
    std::vector<float> out;
    for (size_t i = 0; i < mLayers.size(); ++i) {
        std::vector<double> norm = unitNorms(mLayers[i], row);
        if (i + 1 < mLayers.size()) // the output layer keeps its class order
            std::sort(norm.begin(), norm.end());
        for (double n : norm)
            out.push_back(float(std::sqrt(n)));
    }
    return out;
}

NeuronPermuter::Orders NeuronPermuter::match(const float *row, const float *reference, std::mt19937_64 &random, int sweeps) const
{
    int64_t size = 0;
    for (const Layer &layer : mLayers)
        size = std::max(size, layer.weightOffset + layer.outputs * layer.rowSize);
    for (const Layer &layer : mLayers)
        size = std::max(size, layer.biasOffset + layer.outputs);
    // Start from units sorted by the norm of their weight row and bias (unchanged by any
    // permutation of the layer's inputs), not from the order the network happens to have: a
    // network and any neuron-permuted copy of it then take the same path to the same result.
    Orders orders = identity();
    for (size_t i = 0; i < orders.size(); ++i) {
        const std::vector<double> norm = unitNorms(mLayers[i], row);
        std::stable_sort(orders[i].begin(), orders[i].end(), [&](int64_t a, int64_t b) { return norm[size_t(a)] > norm[size_t(b)]; });
    }
    std::vector<float> current;
    std::vector<size_t> groups(orders.size());
    std::iota(groups.begin(), groups.end(), 0);
    for (int sweep = 0; sweep < sweeps; ++sweep) {
        std::shuffle(groups.begin(), groups.end(), random);
        bool improved = false;
        for (size_t i : groups) {
            current.assign(row, row + size);
            apply(current.data(), orders);
            // score[a][b]: how well unit b of the current model fits unit a of the reference, over
            // the layer's weight rows and bias and the next layer's input blocks.
            const Layer &layer = mLayers[i], &next = mLayers[i + 1];
            const int64_t n = layer.outputs, block = mInputs[i + 1] / n * next.inputBlock;
            std::vector<double> score(size_t(n * n), 0.0);
            for (int64_t a = 0; a < n; ++a)
                for (int64_t b = 0; b < n; ++b) {
                    double sum = 0.0;
                    const float *wa = reference + layer.weightOffset + a * layer.rowSize;
                    const float *wb = current.data() + layer.weightOffset + b * layer.rowSize;
                    for (int64_t k = 0; k < layer.rowSize; ++k)
                        sum += double(wa[k]) * wb[k];
                    if (layer.biasOffset >= 0)
                        sum += double(reference[layer.biasOffset + a]) * current[size_t(layer.biasOffset + b)];
                    for (int64_t r = 0; r < next.outputs; ++r) {
                        const float *na = reference + next.weightOffset + r * next.rowSize + a * block;
                        const float *nb = current.data() + next.weightOffset + r * next.rowSize + b * block;
                        for (int64_t k = 0; k < block; ++k)
                            sum += double(na[k]) * nb[k];
                    }
                    score[size_t(a * n + b)] = sum;
                }
            const std::vector<int64_t> assignment = bestAssignment(score, n);
            double gain = 0.0;
            for (int64_t a = 0; a < n; ++a)
                gain += score[size_t(a * n + assignment[size_t(a)])] - score[size_t(a * n + a)];
            if (gain > 1e-12) {
                std::vector<int64_t> composed(static_cast<size_t>(n));
                for (int64_t a = 0; a < n; ++a)
                    composed[size_t(a)] = orders[i][size_t(assignment[size_t(a)])];
                orders[i] = composed;
                improved = true;
            }
        }
        if (!improved)
            break;
    }
    return orders;
}

} // namespace wse
