#pragma once
// safetensors files (Hugging Face's checkpoint format): an 8-byte little-endian header length, a
// JSON header naming each tensor's dtype, shape and [begin, end) byte range in the data that
// follows, and "__metadata__" (text to text). Read into a StateDict and written from one.
#include "checkpoint/statedict.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

// The reference implementation's ceiling on the header (it refuses larger ones).
constexpr uint64_t SafetensorsMaxHeaderBytes = 100'000'000;

// Whether a path is written as safetensors (it ends in ".safetensors"); anything else as a .pt.
bool isSafetensorsPath(const std::string &path);

// The file's first bytes look like safetensors: a header length under 2^40, then '{' (a zip
// starts with "PK", a legacy torch file with a pickle opcode).
bool looksLikeSafetensors(const uint8_t *head, size_t size);

// Validates the header as the reference implementation does (and more): known dtypes, shapes
// whose element count matches the byte range, ranges inside the data, no overlaps and no holes
// (a polyglot file hides bytes in holes), a header under SafetensorsMaxHeaderBytes nested at most
// a few levels deep. Tensors come in the order of their data; a file that stores them sorted by
// name (as safetensors' own writer does) is listed in natural order ("layers.2" before
// "layers.10") with a note. "__metadata__" becomes the StateDict's texts.
// Throws FormatError naming `label` and the problem.
StateDict readSafetensorsBytes(const std::vector<uint8_t> &bytes, const std::string &label);

// Tensors in the StateDict's order, the header padded with spaces to a multiple of 8 bytes (as
// the reference writer does, so that tensors stay aligned); texts go to "__metadata__".
std::vector<uint8_t> serializeSafetensors(const StateDict &stateDict);

} // namespace wse
