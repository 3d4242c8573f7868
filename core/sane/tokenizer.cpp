#include "sane/tokenizer.h"

#include "common/error.h"

#include <algorithm>

namespace wse {

namespace {

bool contains(const std::string &text, const char *part) { return text.find(part) != std::string::npos; }

bool isProcessed(const std::string &key, bool includeBatchNorm)
{
    if (!includeBatchNorm && isBatchNormKey(key))
        return false;
    return contains(key, "weight") || contains(key, "running_mean") || contains(key, "running_var");
}

// The bias appended to a weight: the key with "weight" replaced by "bias", if present.
const TensorBuffer *biasOf(const StateDict &stateDict, const std::string &key)
{
    const size_t at = key.find("weight");
    if (at == std::string::npos)
        return nullptr;
    std::string biasKey = key;
    biasKey.replace(at, 6, "bias");
    return stateDict.find(biasKey);
}

struct RowView
{
    int64_t rows = 0;
    int64_t cols = 0; // without the bias column
    bool hasBias = false;
};

RowView rowView(const TensorBuffer &tensor, const TensorBuffer *bias)
{
    RowView view;
    view.rows = tensor.shape.empty() ? 1 : tensor.shape[0];
    view.cols = view.rows ? tensor.numel() / view.rows : 0;
    view.hasBias = bias != nullptr;
    return view;
}

} // namespace

bool isBatchNormKey(const std::string &key)
{
    return contains(key, "bn") || contains(key, "downsample.1") || contains(key, "batchnorm");
}

int64_t officialTokenSize(const StateDict &stateDict, bool includeBatchNorm)
{
    int64_t size = 0;
    for (const auto &[key, tensor] : stateDict.entries) {
        if (!isProcessed(key, includeBatchNorm))
            continue;
        const TensorBuffer *bias = biasOf(stateDict, key);
        if (bias)
            size = std::max(size, rowView(tensor, bias).cols + 1);
    }
    return size;
}

TokenSequence tokenize(const StateDict &stateDict, const TokenizeOptions &options)
{
    const int64_t size = options.tokenSize > 0 ? options.tokenSize : officialTokenSize(stateDict, options.includeBatchNorm);
    if (size <= 0)
        throw UsageError("cannot choose a token size automatically (no layer with a bias); pass --tokensize");
    TokenSequence out;
    out.tokenSize = size;
    int32_t layer = 0;
    for (const auto &[key, tensor] : stateDict.entries) {
        if (!isProcessed(key, options.includeBatchNorm))
            continue;
        const TensorBuffer *bias = biasOf(stateDict, key);
        const RowView view = rowView(tensor, bias);
        const std::vector<float> values = tensor.toFloat();
        const std::vector<float> biasValues = bias ? bias->toFloat() : std::vector<float>();
        if (bias && int64_t(biasValues.size()) != view.rows)
            throw ShapeError({}, "bias of '" + key + "' has " + std::to_string(biasValues.size()) + " values for " +
                                     std::to_string(view.rows) + " rows");
        const int64_t width = view.cols + (bias ? 1 : 0);
        const int64_t chunks = (width + size - 1) / size;
        for (int64_t r = 0; r < view.rows; ++r)
            for (int64_t c = 0; c < chunks; ++c) {
                for (int64_t j = 0; j < size; ++j) {
                    const int64_t column = c * size + j;
                    const bool real = column < width;
                    const float value = !real ? 0.0f
                                              : column < view.cols ? values[size_t(r * view.cols + column)]
                                                                   : biasValues[size_t(r)];
                    out.tokens.push_back(value);
                    out.mask.push_back(real ? 1 : 0);
                }
                out.positions.insert(out.positions.end(), {int32_t(out.count), layer, int32_t(r)});
                ++out.count;
            }
        ++layer; // once per processed key: a BN module gives three layers (weight+bias, mean, var)
    }
    return out;
}

StateDict detokenize(const TokenSequence &tokens, const StateDict &reference, const TokenizeOptions &options)
{
    // Tokens of each layer, in order.
    std::vector<std::vector<int64_t>> byLayer;
    for (int64_t n = 0; n < tokens.count; ++n) {
        const int32_t layer = tokens.positions[size_t(3 * n + 1)];
        if (layer < 0)
            throw ShapeError({}, "negative layer index in token positions");
        if (size_t(layer) >= byLayer.size())
            byLayer.resize(size_t(layer) + 1);
        byLayer[size_t(layer)].push_back(n);
    }
    StateDict out = reference;
    out.notes.clear();
    std::vector<std::pair<std::string, std::vector<float>>> biases;
    size_t layer = 0;
    for (auto &[key, tensor] : out.entries) {
        if (!isProcessed(key, options.includeBatchNorm))
            continue;
        const TensorBuffer *bias = biasOf(reference, key);
        const RowView view = rowView(tensor, bias);
        const int64_t width = view.cols + (bias ? 1 : 0);
        const std::vector<int64_t> &ids = layer < byLayer.size() ? byLayer[layer] : std::vector<int64_t>();
        const int64_t perRow = view.rows ? int64_t(ids.size()) / view.rows : 0;
        if (view.rows == 0 || int64_t(ids.size()) % view.rows != 0 || perRow * tokens.tokenSize < width)
            throw ShapeError({}, "layer " + std::to_string(layer) + " ('" + key + "') has " + std::to_string(ids.size()) +
                                     " tokens of size " + std::to_string(tokens.tokenSize) + ", which cannot hold " +
                                     std::to_string(view.rows) + " rows of " + std::to_string(width) + " values");
        std::vector<float> values(size_t(view.rows * view.cols));
        std::vector<float> biasValues(size_t(view.rows));
        for (int64_t r = 0; r < view.rows; ++r)
            for (int64_t column = 0; column < width; ++column) {
                const int64_t token = ids[size_t(r * perRow + column / tokens.tokenSize)];
                const float value = tokens.tokens[size_t(token * tokens.tokenSize + column % tokens.tokenSize)];
                if (column < view.cols)
                    values[size_t(r * view.cols + column)] = value;
                else
                    biasValues[size_t(r)] = value;
            }
        const std::vector<int64_t> shape = tensor.shape;
        tensor = TensorBuffer::fromFloat(shape, values.data());
        if (bias) {
            std::string biasKey = key;
            biasKey.replace(biasKey.find("weight"), 6, "bias");
            biases.emplace_back(biasKey, std::move(biasValues));
        }
        ++layer;
    }
    for (auto &[key, values] : biases)
        for (auto &entry : out.entries)
            if (entry.first == key)
                entry.second = TensorBuffer::fromFloat(entry.second.shape, values.data());
    return out;
}

} // namespace wse
