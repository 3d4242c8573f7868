#include "common/numbertext.h"

#include <cstdio>

namespace wse {

std::string withThousands(int64_t value)
{
    std::string digits = std::to_string(value);
    const int first = digits[0] == '-' ? 1 : 0;
    for (int i = int(digits.size()) - 3; i > first; i -= 3)
        digits.insert(size_t(i), ",");
    return digits;
}

std::string byteSize(double bytes)
{
    const char *units[] = {"bytes", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1000.0 && unit < 4) {
        bytes /= 1000.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, bytes < 10 && unit ? "%.1f %s" : "%.0f %s", bytes, units[unit]);
    return buffer;
}

std::string plainNumber(double value)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    return buffer;
}

} // namespace wse
