#pragma once
// SANE tokenisation (sane-spec §3), as the official tokenize_checkpoint / tokens_to_checkpoint:
// every processed tensor is viewed as [rows, cols] (its bias appended as a last column), each
// row cut into ceil(cols / d_t) zero-padded tokens of size d_t, and each token tagged with its
// position (n: global index, l: layer counter, k: row).
#include "checkpoint/statedict.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct TokenizeOptions
{
    int64_t tokenSize = 0;      // d_t; 0 = the official automatic choice (see officialTokenSize)
    bool includeBatchNorm = false; // the official ignore_bn = !includeBatchNorm

    static TokenizeOptions defaults() { return {}; }
};

struct TokenSequence
{
    int64_t count = 0;          // N
    int64_t tokenSize = 0;      // d_t
    std::vector<float> tokens;  // N x d_t
    std::vector<uint8_t> mask;  // N x d_t, 1 on real values, 0 on padding
    std::vector<int32_t> positions; // N x 3: (n, l, k)
};

// True for keys the official code treats as batch norm (plain substring tests, quirks included:
// any key containing "bn", "downsample.1" or "batchnorm").
bool isBatchNormKey(const std::string &key);

// The official automatic token size: the largest row length (with bias) over keys that have a
// bias. (Bias-free layers are not counted — an official quirk; pass an explicit size for them.)
int64_t officialTokenSize(const StateDict &stateDict, bool includeBatchNorm);

// Throws UsageError when the token size is not positive after the automatic choice.
TokenSequence tokenize(const StateDict &stateDict, const TokenizeOptions &options);

// Tokens back into a state_dict with the reference's keys, shapes and order; tensors that are not
// tokenised (num_batches_tracked, ignored batch norm) keep the reference's values. Throws
// ShapeError when the tokens do not fit the reference.
StateDict detokenize(const TokenSequence &tokens, const StateDict &reference, const TokenizeOptions &options);

} // namespace wse
