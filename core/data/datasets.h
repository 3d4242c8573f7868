#pragma once
// The datasets a zoo can be trained on, with the official split and normalisation
// (model-zoo-spec §4.1): the train set is split by a seed-42 permutation into train/validation.
#include "data/imagedataset.h"

#include <string>
#include <vector>

namespace wse {

struct DatasetOptions
{
    std::string name = "fashion-mnist";
    std::string root;         // folder with the files; empty = the dataset's default location
    int64_t trainLimit = 0;   // use only the first N training images of the split (0 = all)
    int64_t testLimit = 0;    // use only the first N test images (0 = all)

    static DatasetOptions defaults() { return {}; }
};

std::vector<std::string> knownDatasets();

// Loads, splits and normalises. Throws IoError/FormatError saying which file was expected where.
TrainTestData loadDataset(const DatasetOptions &options);

// The official train/validation split: torch.randperm(n, generator seeded 42); first `trainCount`
// indices are train, the rest validation.
std::vector<int64_t> officialSplitPermutation(int64_t n);

} // namespace wse
