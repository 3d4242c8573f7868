#pragma once
// Numbers as people read them in messages and summaries.
#include <cstdint>
#include <string>

namespace wse {

std::string withThousands(int64_t value); // 11173962 -> "11,173,962"
std::string byteSize(double bytes);       // 118000 -> "118 KB", 2.5e9 -> "2.5 GB" (decimal units)
std::string plainNumber(double value);    // 3 -> "3", 0.5 -> "0.5", 1e9 -> "1000000000", NaN -> "nan"

} // namespace wse
