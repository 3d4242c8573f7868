#pragma once
// Windowed processing of long token sequences with context ("haloing", sane-spec §8.2): the
// sequence is covered by chunks of content + 2 halo tokens; each chunk is encoded (or decoded)
// on its own and only its content part is kept, so memory is bounded by the chunk length.
#include <cstdint>
#include <vector>

namespace wse {

struct HaloChunk
{
    int64_t start = 0;     // the chunk covers [start, start + length)
    int64_t length = 0;
    int64_t keepFrom = 0;  // offset inside the chunk of the tokens it contributes
    int64_t keepCount = 0;
};

// The official chunking where it is defined (N >= c + 2h and N mod c is 0 or >= h); for the other
// lengths a chunk that would run past the end is shifted back inside (same kept content). A
// sequence no longer than c + 2h is one chunk. Throws UsageError when content < 1 or halo < 0.
std::vector<HaloChunk> haloChunks(int64_t sequenceLength, int64_t content, int64_t halo);

} // namespace wse
