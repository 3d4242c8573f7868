#pragma once
// SVHN's cropped-digit files (train_32x32.mat, test_32x32.mat: MATLAB v5, read with Debian's
// libmatio), turned into the official zoos' input: grey by PIL's integer "L" luma, centre-cropped
// to 28x28, labels 0-9 (the files write digit 0 as 10).
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct SvhnImages
{
    int64_t count = 0;
    std::vector<uint8_t> pixels;  // count x 28 x 28, grey, row-major
    std::vector<int64_t> labels;  // count, 0-9
};

// Throws IoError when the file cannot be read, FormatError (naming the file and the variable)
// when X is not uint8 [32, 32, 3, N] or y is not N labels from 1 to 10.
SvhnImages readSvhnMat(const std::string &path);

// Grey value of one RGB pixel as PIL's Image.convert("L") computes it.
inline uint8_t pilLuma(uint8_t red, uint8_t green, uint8_t blue)
{
    return uint8_t((uint32_t(red) * 19595u + uint32_t(green) * 38470u + uint32_t(blue) * 7471u + 0x8000u) >> 16);
}

} // namespace wse
