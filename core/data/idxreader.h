#pragma once
// Reads MNIST-family IDX files (images idx3, labels idx1), plain or gzip-compressed.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct IdxImages
{
    int64_t count = 0;
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<uint8_t> pixels; // count x rows x cols
};

// Throws IoError (missing/unreadable) or FormatError (bad magic, truncated) naming the file.
IdxImages readIdxImages(const std::string &path);
std::vector<int64_t> readIdxLabels(const std::string &path);

} // namespace wse
