#pragma once
// Where every token value of an architecture comes from: built once by tokenising a checkpoint
// whose values are their own indices, it turns tokenising (with per-layer standardisation) into
// one gather per checkpoint and detokenising into one scatter. Same result as tokenize() /
// detokenize() on a standardised state_dict, for every checkpoint of a zoo at memory speed.
#include "sane/normalization.h"
#include "sane/tokenizer.h"
#include "zoo/architecture.h"

#include <cstdint>
#include <vector>

namespace wse {

class TokenLayout
{
public:
    // Throws UsageError when the architecture yields no tokens or is too large to index.
    TokenLayout(const Architecture &architecture, const TokenizeOptions &options, const LayerStandardization &normalization);

    int64_t length() const { return mLength; }       // N tokens
    int64_t tokenSize() const { return mTokenSize; } // d_t
    int64_t rowSize() const { return mRowSize; }     // floats in a flattened checkpoint
    const std::vector<int32_t> &positions() const { return mPositions; } // N x 3
    const std::vector<uint8_t> &mask() const { return mMask; }           // N x d_t
    // Per layer index l, its token range [first, last) (tokens of a layer are consecutive).
    std::vector<std::pair<int64_t, int64_t>> layerRanges() const;

    // Flattened checkpoint -> standardised tokens (N x d_t, zero padding).
    void tokens(const float *row, float *out) const;
    // Tokens -> de-standardised values written into `row`; entries that are not tokenised (ignored
    // batch norm) keep what `row` holds.
    void untokens(const float *tokens, float *row) const;

private:
    int64_t mLength = 0, mTokenSize = 0, mRowSize = 0;
    std::vector<int32_t> mPositions;
    std::vector<uint8_t> mMask;
    std::vector<int64_t> mSource;  // per token element: index into the row, -1 for padding
    std::vector<float> mScale, mShift; // per row element: standardised = scale * x + shift
};

} // namespace wse
