#include "panels/searchindex.h"

#include "common/parallel.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace wse {

namespace {
constexpr int RowsPerChunk = 16384;
constexpr char ValueEnd = '\x1f'; // after every value: a match never spans two values (or rows)
} // namespace

SearchIndex SearchIndex::build(const std::vector<Column> &columns, int rows, const std::atomic<bool> &stop)
{
    SearchIndex index;
    index.mRows = rows;
    index.mChunks.resize(size_t((rows + RowsPerChunk - 1) / RowsPerChunk));
    parallelFor(int64_t(index.mChunks.size()), [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end && !stop.load(std::memory_order_relaxed); ++c) {
            Chunk &chunk = index.mChunks[size_t(c)];
            chunk.firstRow = int(c) * RowsPerChunk;
            const int lastRow = std::min(rows, chunk.firstRow + RowsPerChunk);
            for (int row = chunk.firstRow; row < lastRow; ++row) {
                chunk.starts.push_back(chunk.text.size());
                for (const Column &column : columns) {
                    chunk.text += column.displayValue(row);
                    chunk.text += ValueEnd;
                }
            }
            chunk.starts.push_back(chunk.text.size());
            std::transform(chunk.text.begin(), chunk.text.end(), chunk.text.begin(),
                           [](unsigned char ch) { return char(std::tolower(ch)); });
        }
    }, 1);
    return index;
}

std::vector<char> SearchIndex::rowsContaining(const std::string &needle) const
{
    std::vector<char> hits(size_t(mRows), 0);
    parallelFor(int64_t(mChunks.size()), [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
            const Chunk &chunk = mChunks[size_t(c)];
            size_t from = 0;
            while (from < chunk.text.size()) {
                const void *found = memmem(chunk.text.data() + from, chunk.text.size() - from, needle.data(), needle.size());
                if (!found)
                    break;
                const size_t at = size_t(static_cast<const char *>(found) - chunk.text.data());
                const size_t row = size_t(std::upper_bound(chunk.starts.begin(), chunk.starts.end(), at) - chunk.starts.begin()) - 1;
                hits[size_t(chunk.firstRow) + row] = 1;
                from = chunk.starts[row + 1]; // the row's further matches change nothing
            }
        }
    }, 1);
    return hits;
}

} // namespace wse
