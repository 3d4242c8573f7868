#pragma once
// The datasets a zoo can be trained on, with the official split and normalisation
// (model-zoo-spec §4.1): a seed-42 permutation splits the training data into train/validation.
#include "data/imagedataset.h"

#include <string>
#include <vector>

namespace wse {

struct DatasetOptions
{
    std::string name = "fashion-mnist";
    std::string root;         // folder with the files; empty = the dataset's default location
    int64_t trainLimit = 0;   // use only the first N training items of the split (0 = all)
    int64_t testLimit = 0;    // use only the first N test items (0 = all)
    int64_t resize = 0;       // images resized (bilinear) to resize x resize; 0 = native size

    static DatasetOptions defaults() { return {}; }
};

struct DatasetInfo
{
    std::string name;
    std::string description;
    bool needsRoot = false;   // no Debian package ships it: the user points at a folder
    bool tabular = false;     // feature vectors (MLP), not images
};

std::vector<DatasetInfo> knownDatasets();
const DatasetInfo &datasetInfo(const std::string &name); // throws UsageError for unknown names

// Where Debian's python3-sklearn keeps its bundled datasets.
std::string sklearnDataFolder();

// Loads, splits and normalises. Throws IoError/FormatError saying which file was expected where.
TrainTestData loadDataset(const DatasetOptions &options);

// torch.randperm(n, generator seeded 42): the official split permutation.
std::vector<int64_t> officialSplitPermutation(int64_t n);

} // namespace wse
