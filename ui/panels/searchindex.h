#pragma once
// What the table's search box searches: every row's columns as shown, lower case, kept in a few
// large buffers rather than a string per row. A search is then one memmem scan per buffer, the
// buffers on every core: tens of milliseconds at a million rows instead of a find in each of a
// million scattered strings.
#include "zoo/table.h"

#include <atomic>
#include <string>
#include <vector>

namespace wse {

class SearchIndex
{
public:
    // `stop`, set from another thread, makes it give up early: the index is then incomplete.
    static SearchIndex build(const std::vector<Column> &columns, int rows, const std::atomic<bool> &stop);

    bool empty() const { return mChunks.empty(); }
    // Per row: 1 when one of its values contains `needle` (lower case, not empty).
    std::vector<char> rowsContaining(const std::string &needle) const;

private:
    struct Chunk
    {
        int firstRow = 0;
        std::string text;           // the rows' texts one after the other
        std::vector<size_t> starts; // where each row starts, and the end
    };
    std::vector<Chunk> mChunks;
    int mRows = 0;
};

} // namespace wse
