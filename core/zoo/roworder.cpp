#include "zoo/roworder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string_view>
#include <unordered_map>

namespace wse {

namespace {

constexpr uint64_t Missing = UINT64_MAX; // after every value, ascending or descending

// An unsigned integer that orders as the double does (-0 as +0).
uint64_t orderedKey(double value)
{
    if (value == 0.0)
        value = 0.0;
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits & (uint64_t(1) << 63)) ? ~bits : bits | (uint64_t(1) << 63);
}

std::vector<uint64_t> numberKeys(const Column &column, bool descending)
{
    const std::vector<double> &values = column.numbers();
    std::vector<uint64_t> keys(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i]))
            keys[i] = Missing;
        else
            keys[i] = descending ? ~orderedKey(values[i]) - 1 : orderedKey(values[i]); // never Missing
    }
    return keys;
}

// Each text's rank among the column's distinct texts.
std::vector<uint64_t> textKeys(const Column &column, bool descending)
{
    const std::vector<std::string> &texts = column.texts();
    std::unordered_map<std::string_view, uint64_t> rankOf;
    for (const std::string &text : texts)
        rankOf.emplace(text, 0);
    std::vector<std::string_view> distinct;
    distinct.reserve(rankOf.size());
    for (const auto &entry : rankOf)
        distinct.push_back(entry.first);
    std::sort(distinct.begin(), distinct.end());
    for (size_t r = 0; r < distinct.size(); ++r)
        rankOf[distinct[r]] = descending ? distinct.size() - 1 - r : r;
    std::vector<uint64_t> keys(texts.size());
    for (size_t i = 0; i < texts.size(); ++i)
        keys[i] = rankOf.find(texts[i])->second;
    return keys;
}

// Least significant digit first, 16 bits at a time, each pass stable; passes whose digit is the
// same for every key are skipped (ranks and clustered numbers need one or two).
std::vector<int> radixOrder(std::vector<uint64_t> keys)
{
    const size_t n = keys.size();
    std::vector<int> order(n), nextOrder(n);
    std::iota(order.begin(), order.end(), 0);
    std::vector<uint64_t> nextKeys(n);
    std::vector<size_t> count(65537);
    for (int shift = 0; shift < 64; shift += 16) {
        std::fill(count.begin(), count.end(), 0);
        for (uint64_t key : keys)
            ++count[((key >> shift) & 0xFFFF) + 1];
        if (std::any_of(count.begin() + 1, count.end(), [n](size_t c) { return c == n; }))
            continue;
        std::partial_sum(count.begin(), count.end(), count.begin());
        for (size_t i = 0; i < n; ++i) {
            const size_t at = count[(keys[i] >> shift) & 0xFFFF]++;
            nextKeys[at] = keys[i];
            nextOrder[at] = order[i];
        }
        keys.swap(nextKeys);
        order.swap(nextOrder);
    }
    return order;
}

} // namespace

std::vector<int> sortedRowOrder(const Column &column, bool descending)
{
    return radixOrder(column.isText() ? textKeys(column, descending) : numberKeys(column, descending));
}

} // namespace wse
