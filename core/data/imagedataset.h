#pragma once
// Labelled image data as plain arrays (no torch in the interface): N images of C x H x W floats,
// already normalised, and N integer labels.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct ImageDataset
{
    std::string name;   // e.g. "fashion-mnist"
    int64_t count = 0;
    int64_t channels = 1;
    int64_t height = 0;
    int64_t width = 0;
    int64_t classes = 10;
    std::vector<float> images;  // count x channels x height x width, normalised
    std::vector<int64_t> labels; // count

    int64_t imageSize() const { return channels * height * width; }
    // The subset with these indices, in this order.
    ImageDataset select(const std::vector<int64_t> &indices) const;
    // The first n items (all if n <= 0 or n >= count).
    ImageDataset head(int64_t n) const;
};

struct TrainTestData
{
    ImageDataset train; // the official train split (validation part removed)
    ImageDataset validation;
    ImageDataset test;
};

} // namespace wse
