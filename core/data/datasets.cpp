#include "data/datasets.h"

#include "common/error.h"
#include "data/idxreader.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>

namespace wse {

namespace {

const char *FashionMnistDefaultRoot = "/usr/share/datasets/fashion-mnist";

// Finds `<root>/<stem>` or `<root>/<stem>.gz`.
std::string findIdxFile(const std::string &root, const std::string &stem, const std::string &datasetName)
{
    for (const std::string &candidate : {root + "/" + stem + ".gz", root + "/" + stem}) {
        std::error_code error;
        if (std::filesystem::is_regular_file(candidate, error))
            return candidate;
    }
    throw IoError(root + "/" + stem + "[.gz]",
                  "missing " + datasetName + " file (install the Debian package 'dataset-fashion-mnist' or pass the folder "
                  "holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and "
                  "t10k-labels-idx1-ubyte[.gz])");
}

ImageDataset readIdxPair(const std::string &root, const std::string &prefix, const std::string &name, float mean,
                         float std)
{
    const std::string imagePath = findIdxFile(root, prefix + "-images-idx3-ubyte", name);
    const std::string labelPath = findIdxFile(root, prefix + "-labels-idx1-ubyte", name);
    IdxImages images = readIdxImages(imagePath);
    std::vector<int64_t> labels = readIdxLabels(labelPath);
    if (int64_t(labels.size()) != images.count)
        throw FormatError(labelPath, "has " + std::to_string(labels.size()) + " labels but " + imagePath + " has " +
                                         std::to_string(images.count) + " images");
    ImageDataset dataset;
    dataset.name = name;
    dataset.count = images.count;
    dataset.height = images.rows;
    dataset.width = images.cols;
    dataset.images.resize(images.pixels.size());
    for (size_t i = 0; i < images.pixels.size(); ++i)
        dataset.images[i] = (float(images.pixels[i]) / 255.0f - mean) / std; // ToTensor, then Normalize
    dataset.labels = std::move(labels);
    return dataset;
}

} // namespace

std::vector<std::string> knownDatasets() { return {"fashion-mnist", "mnist"}; }

std::vector<int64_t> officialSplitPermutation(int64_t n)
{
    at::Generator generator = at::detail::createCPUGenerator(42);
    at::Tensor permutation = at::randperm(n, generator, at::TensorOptions().dtype(at::kLong));
    const int64_t *data = permutation.data_ptr<int64_t>();
    return std::vector<int64_t>(data, data + n);
}

TrainTestData loadDataset(const DatasetOptions &options)
{
    std::string root = options.root;
    float mean = 0.5f, std = 0.5f;
    int64_t trainCount = 50000;
    if (options.name == "fashion-mnist") {
        if (root.empty())
            root = FashionMnistDefaultRoot;
    } else if (options.name == "mnist") {
        if (root.empty())
            throw UsageError("the MNIST dataset needs --data-root: a folder with its IDX files (Debian ships none)");
        mean = 0.1307f;
        std = 0.3081f;
    } else {
        throw UsageError("unknown dataset '" + options.name + "'");
    }

    ImageDataset fullTrain = readIdxPair(root, "train", options.name, mean, std);
    TrainTestData data;
    data.test = readIdxPair(root, "t10k", options.name, mean, std).head(options.testLimit);
    if (fullTrain.count != 60000)
        trainCount = fullTrain.count * 5 / 6; // keep the official 50k/10k proportion for other sizes
    const std::vector<int64_t> permutation = officialSplitPermutation(fullTrain.count);
    std::vector<int64_t> trainIndices(permutation.begin(), permutation.begin() + trainCount);
    std::vector<int64_t> validationIndices(permutation.begin() + trainCount, permutation.end());
    if (options.trainLimit > 0 && options.trainLimit < trainCount)
        trainIndices.resize(size_t(options.trainLimit));
    data.train = fullTrain.select(trainIndices);
    data.validation = fullTrain.select(validationIndices);
    return data;
}

} // namespace wse
