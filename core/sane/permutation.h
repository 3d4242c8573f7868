#pragma once
// Neuron permutations of sequential networks (CNN-s, CNN-l, MLP): the hidden units of a layer are
// reordered — its weight rows and bias — and the next layer's inputs follow (block-wise where a
// convolution is flattened into a linear layer). The network computes the same function, so a
// permuted checkpoint is a second view of the same model for SANE's contrastive loss (§5.1).
#include "zoo/architecture.h"

#include <cstdint>
#include <random>
#include <vector>

namespace wse {

class NeuronPermuter
{
public:
    // Throws UsageError when the architecture is not a chain of weight (+ bias) layers whose
    // input sizes follow from the previous layer's outputs.
    explicit NeuronPermuter(const Architecture &architecture);

    // Permutes every hidden layer of a flattened checkpoint in place with fresh random orders.
    void permute(float *row, std::mt19937_64 &random) const;

    // One order per hidden layer: unit r of the result is unit order[r] of the input.
    using Orders = std::vector<std::vector<int64_t>>;
    Orders identity() const;
    void apply(float *row, const Orders &orders) const;
    // Git re-basin weight matching (sane-spec §2.2): the orders that make `row` closest to
    // `reference` — coordinate descent over the hidden layers in random order, per layer a linear
    // assignment maximising the sum of <W_reference, W_row> over every weight touching that layer,
    // at most `sweeps` sweeps, until no layer improves by more than 1e-12. The search starts from
    // units sorted by their weight norms, so a neuron-permuted copy of `row` gets the same result.
    Orders match(const float *row, const float *reference, std::mt19937_64 &random, int sweeps = 100) const;
    // What no permutation changes: per layer, its units' norms (weight row and bias), sorted in
    // the hidden layers. Close signatures are where a weight-matched neighbour is looked for.
    std::vector<float> signature(const float *row) const;

private:
    struct Layer
    {
        int64_t weightOffset = 0, biasOffset = -1;
        int64_t outputs = 0;   // rows of the weight
        int64_t rowSize = 0;   // values per row (inputs x kernel)
        int64_t inputBlock = 0; // kernel values per input unit of this layer (rowSize / inputs)
    };
    static std::vector<double> unitNorms(const Layer &layer, const float *row); // squared, per output unit
    std::vector<Layer> mLayers;
    std::vector<int64_t> mInputs; // per layer: its input units
};

} // namespace wse
