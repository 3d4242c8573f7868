#include "sane/halo.h"

#include "common/error.h"

#include <algorithm>
#include <string>

namespace wse {

std::vector<HaloChunk> haloChunks(int64_t n, int64_t content, int64_t halo)
{
    if (content < 1 || halo < 0)
        throw UsageError("halo windows need content >= 1 and halo >= 0 (got " + std::to_string(content) + ", " +
                         std::to_string(halo) + ")");
    const int64_t length = content + 2 * halo;
    if (n <= length)
        return {{0, n, 0, n}};
    std::vector<HaloChunk> chunks;
    for (int64_t first = 0; first < n; first += content) {
        HaloChunk chunk;
        chunk.length = length;
        chunk.start = std::clamp<int64_t>(first - halo, 0, n - length);
        chunk.keepFrom = first - chunk.start;
        chunk.keepCount = std::min(content, n - first);
        chunks.push_back(chunk);
    }
    return chunks;
}

} // namespace wse
