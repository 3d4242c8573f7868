#include "sane/tokenlayout.h"

#include "common/error.h"

namespace wse {

TokenLayout::TokenLayout(const Architecture &architecture, const TokenizeOptions &options,
                         const LayerStandardization &normalization)
{
    mRowSize = architecture.numel();
    if (mRowSize >= (int64_t(1) << 24))
        throw UsageError("architecture " + architecture.name + " has " + std::to_string(mRowSize) +
                         " values; token layouts index at most 16,777,216 (float-exact indices)");
    // A checkpoint whose values are 1 + their index (0 stays free for padding).
    StateDict indexed;
    std::vector<float> values(static_cast<size_t>(mRowSize));
    for (int64_t i = 0; i < mRowSize; ++i)
        values[size_t(i)] = float(i + 1);
    const float *next = values.data();
    for (const TensorSpec &tensor : architecture.tensors) {
        indexed.entries.emplace_back(tensor.key, TensorBuffer::fromFloat(tensor.shape, next));
        next += tensor.numel();
    }
    const TokenSequence sequence = tokenize(indexed, options);
    if (sequence.count == 0)
        throw UsageError("architecture " + architecture.name + " has no tensors SANE tokenises");
    mLength = sequence.count;
    mTokenSize = sequence.tokenSize;
    mPositions = sequence.positions;
    mMask = sequence.mask;
    mSource.resize(sequence.tokens.size());
    for (size_t i = 0; i < sequence.tokens.size(); ++i)
        mSource[i] = sequence.mask[i] ? int64_t(sequence.tokens[i]) - 1 : -1;
    // Standardisation is affine per value: f(x) = scale x + shift.
    std::vector<float> zeros(static_cast<size_t>(mRowSize), 0.0f), ones(static_cast<size_t>(mRowSize), 1.0f);
    normalization.apply(architecture, zeros.data());
    normalization.apply(architecture, ones.data());
    mShift = zeros;
    mScale.resize(size_t(mRowSize));
    for (size_t i = 0; i < mScale.size(); ++i)
        mScale[i] = ones[i] - zeros[i];
}

std::vector<std::pair<int64_t, int64_t>> TokenLayout::layerRanges() const
{
    std::vector<std::pair<int64_t, int64_t>> ranges;
    for (int64_t t = 0; t < mLength; ++t) {
        const int32_t layer = mPositions[size_t(t * 3 + 1)];
        if (size_t(layer) >= ranges.size())
            ranges.resize(size_t(layer) + 1, {t, t});
        ranges[size_t(layer)].second = t + 1;
    }
    return ranges;
}

void TokenLayout::tokens(const float *row, float *out) const
{
    for (size_t i = 0; i < mSource.size(); ++i) {
        const int64_t source = mSource[i];
        out[i] = source < 0 ? 0.0f : mScale[size_t(source)] * row[source] + mShift[size_t(source)];
    }
}

void TokenLayout::untokens(const float *tokens, float *row) const
{
    for (size_t i = 0; i < mSource.size(); ++i) {
        const int64_t source = mSource[i];
        if (source >= 0)
            row[source] = (tokens[i] - mShift[size_t(source)]) / mScale[size_t(source)];
    }
}

} // namespace wse
