#include "data/datasets.h"

#include "common/error.h"
#include "data/idxreader.h"
#include "data/svhnreader.h"
#include "data/tabularreader.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <cstdlib>
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
    const std::string hint = datasetName == "fashion-mnist" ? "install the Debian package 'dataset-fashion-mnist' or pass "
                                                            : "pass --data-root: ";
    throw IoError(root + "/" + stem + "[.gz]",
                  "missing " + datasetName + " file (" + hint + "the folder holding train-images-idx3-ubyte[.gz], "
                  "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz])");
}

ImageDataset fromPixels(const std::string &name, int64_t count, int64_t channels, int64_t height, int64_t width,
                        const std::vector<uint8_t> &pixels, std::vector<int64_t> labels, int64_t classes)
{
    ImageDataset dataset;
    dataset.name = name;
    dataset.count = count;
    dataset.channels = channels;
    dataset.height = height;
    dataset.width = width;
    dataset.classes = classes;
    dataset.images.resize(pixels.size());
    for (size_t i = 0; i < pixels.size(); ++i)
        dataset.images[i] = float(pixels[i]) / 255.0f; // ToTensor
    dataset.labels = std::move(labels);
    return dataset;
}

ImageDataset readIdxPair(const std::string &root, const std::string &prefix, const std::string &name)
{
    const std::string imagePath = findIdxFile(root, prefix + "-images-idx3-ubyte", name);
    const std::string labelPath = findIdxFile(root, prefix + "-labels-idx1-ubyte", name);
    const IdxImages images = readIdxImages(imagePath);
    std::vector<int64_t> labels = readIdxLabels(labelPath);
    if (int64_t(labels.size()) != images.count)
        throw FormatError(labelPath, "has " + std::to_string(labels.size()) + " labels but " + imagePath + " has " +
                                         std::to_string(images.count) + " images");
    return fromPixels(name, images.count, 1, images.rows, images.cols, images.pixels, std::move(labels), 10);
}

// (x - mean) / std per channel, in place.
void normalise(ImageDataset &dataset, const std::vector<float> &mean, const std::vector<float> &std)
{
    const int64_t plane = dataset.height * dataset.width;
    for (int64_t i = 0; i < dataset.count; ++i)
        for (int64_t c = 0; c < dataset.channels; ++c) {
            float *values = dataset.images.data() + (i * dataset.channels + c) * plane;
            for (int64_t p = 0; p < plane; ++p)
                values[p] = (values[p] - mean[size_t(c)]) / std[size_t(c)];
        }
}

void resizeImages(ImageDataset &dataset, int64_t side)
{
    if (side <= 0 || (dataset.height == side && dataset.width == side))
        return;
    at::Tensor images = at::from_blob(dataset.images.data(), {dataset.count, dataset.channels, dataset.height, dataset.width},
                                      at::kFloat);
    at::Tensor resized = at::upsample_bilinear2d(images, {side, side}, false).contiguous();
    dataset.images.assign(resized.data_ptr<float>(), resized.data_ptr<float>() + resized.numel());
    dataset.height = dataset.width = side;
}

// Tabular data: z-scored with the training split's statistics.
void standardiseFeatures(TrainTestData &data)
{
    const int64_t features = data.train.imageSize();
    for (int64_t f = 0; f < features; ++f) {
        double sum = 0.0, squares = 0.0;
        for (int64_t i = 0; i < data.train.count; ++i) {
            const double v = data.train.images[size_t(i * features + f)];
            sum += v;
            squares += v * v;
        }
        const double mean = sum / double(data.train.count);
        const double std = std::sqrt(std::max(1e-12, squares / double(data.train.count) - mean * mean));
        for (ImageDataset *set : {&data.train, &data.validation, &data.test})
            for (int64_t i = 0; i < set->count; ++i) {
                float &v = set->images[size_t(i * features + f)];
                v = float((v - mean) / std);
            }
    }
}

std::vector<int64_t> range(std::vector<int64_t>::const_iterator begin, std::vector<int64_t>::const_iterator end)
{
    return std::vector<int64_t>(begin, end);
}

// Data without an official test set: 60 % train, 20 % validation, 20 % test by the seed-42 permutation.
TrainTestData splitThreeWays(const ImageDataset &all)
{
    const std::vector<int64_t> order = officialSplitPermutation(all.count);
    const auto train = long(all.count * 6 / 10), validation = long(all.count * 8 / 10);
    TrainTestData data;
    data.train = all.select(range(order.begin(), order.begin() + train));
    data.validation = all.select(range(order.begin() + train, order.begin() + validation));
    data.test = all.select(range(order.begin() + validation, order.end()));
    return data;
}

TrainTestData splitTrainSet(const ImageDataset &fullTrain, ImageDataset test, int64_t trainCount)
{
    const std::vector<int64_t> order = officialSplitPermutation(fullTrain.count);
    TrainTestData data;
    data.train = fullTrain.select(range(order.begin(), order.begin() + long(trainCount)));
    data.validation = fullTrain.select(range(order.begin() + long(trainCount), order.end()));
    data.test = std::move(test);
    return data;
}

TrainTestData loadSklearn(const DatasetOptions &options)
{
    const std::string folder = options.root.empty() ? sklearnDataFolder() : options.root;
    const bool digits = options.name == "digits";
    const std::string file = digits ? "digits.csv.gz" : options.name == "iris" ? "iris.csv"
                                                      : options.name == "wine" ? "wine_data.csv" : "breast_cancer.csv";
    std::error_code error;
    if (!std::filesystem::is_regular_file(folder + "/" + file, error))
        throw IoError(folder + "/" + file, "missing " + options.name + " data (install the Debian package python3-sklearn, "
                                           "or pass --data-root with the folder holding " + file + ")");
    const RawTable table = readSklearnCsv(folder + "/" + file, !digits);
    ImageDataset all;
    all.name = options.name;
    all.count = table.rows;
    all.classes = digits ? 10 : table.classes;
    all.labels = table.labels;
    all.images = table.values;
    if (digits) { // 8x8 images with values 0..16
        all.channels = 1;
        all.height = all.width = 8;
        for (float &v : all.images)
            v /= 16.0f;
    } else {
        all.channels = table.features;
        all.height = all.width = 1;
    }
    TrainTestData data = splitThreeWays(all);
    if (digits) {
        for (ImageDataset *set : {&data.train, &data.validation, &data.test}) {
            resizeImages(*set, options.resize);
            normalise(*set, {0.5f}, {0.5f});
        }
    } else {
        standardiseFeatures(data);
    }
    return data;
}

TrainTestData loadCifar(const DatasetOptions &options)
{
    if (options.root.empty())
        throw UsageError(options.name + " needs --data-root: the folder with its binary batches (Debian ships none)");
    const bool hundred = options.name == "cifar100";
    std::vector<std::string> trainFiles, testFiles;
    if (hundred) {
        trainFiles = {options.root + "/train.bin"};
        testFiles = {options.root + "/test.bin"};
    } else {
        for (int i = 1; i <= 5; ++i)
            trainFiles.push_back(options.root + "/data_batch_" + std::to_string(i) + ".bin");
        testFiles = {options.root + "/test_batch.bin"};
    }
    const RawImages train = readCifarBatches(trainFiles, hundred ? 2 : 1);
    const RawImages test = readCifarBatches(testFiles, hundred ? 2 : 1);
    const int64_t classes = hundred ? 100 : 10;
    ImageDataset fullTrain = fromPixels(options.name, train.count, 3, 32, 32, train.pixels, train.labels, classes);
    ImageDataset testSet = fromPixels(options.name, test.count, 3, 32, 32, test.pixels, test.labels, classes);
    const int64_t trainCount = hundred ? train.count * 4 / 5 : train.count * 21 / 25; // 40k / 42k of 50k
    TrainTestData data = splitTrainSet(fullTrain, std::move(testSet), trainCount);
    for (ImageDataset *set : {&data.train, &data.validation, &data.test}) {
        resizeImages(*set, options.resize);
        normalise(*set, {0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f});
    }
    return data;
}

TrainTestData loadIdx(const DatasetOptions &options)
{
    std::string root = options.root;
    if (root.empty()) {
        if (options.name != "fashion-mnist")
            throw UsageError(options.name + " needs --data-root: a folder with its IDX files (Debian ships none)");
        // WSE_FASHION_MNIST: where the files are on a machine without the Debian package.
        const char *override = std::getenv("WSE_FASHION_MNIST");
        root = override && *override ? override : FashionMnistDefaultRoot;
    }
    const bool mnist = options.name == "mnist";
    const float mean = mnist ? 0.1307f : 0.5f, std = mnist ? 0.3081f : 0.5f;
    ImageDataset fullTrain = readIdxPair(root, "train", options.name);
    ImageDataset test = readIdxPair(root, "t10k", options.name);
    const int64_t trainCount = fullTrain.count * 5 / 6; // 50,000 of 60,000 as the official zoos
    TrainTestData data = splitTrainSet(fullTrain, std::move(test), trainCount);
    for (ImageDataset *set : {&data.train, &data.validation, &data.test}) {
        resizeImages(*set, options.resize);
        normalise(*set, {mean}, {std});
    }
    return data;
}

// SVHN as the official zoos train on it: grey 28x28 (svhnreader.h), (x - 0.5) / 0.5, the training
// file split 60,000 / 13,257 by the seed-42 permutation (proportionally for a smaller file).
TrainTestData loadSvhn(const DatasetOptions &options)
{
    if (options.root.empty())
        throw UsageError("svhn needs --data-root: the folder holding train_32x32.mat and test_32x32.mat "
                         "(from ufldl.stanford.edu/housenumbers; Debian ships none)");
    const auto read = [&options](const std::string &file) {
        SvhnImages raw = readSvhnMat(options.root + "/" + file);
        return fromPixels(options.name, raw.count, 1, 28, 28, raw.pixels, std::move(raw.labels), 10);
    };
    ImageDataset fullTrain = read("train_32x32.mat");
    const int64_t trainCount = int64_t(std::llround(double(fullTrain.count) * 60000.0 / 73257.0));
    TrainTestData data = splitTrainSet(fullTrain, read("test_32x32.mat"), trainCount);
    for (ImageDataset *set : {&data.train, &data.validation, &data.test}) {
        resizeImages(*set, options.resize);
        normalise(*set, {0.5f}, {0.5f});
    }
    return data;
}

} // namespace

std::vector<DatasetInfo> knownDatasets()
{
    return {{"fashion-mnist", "Fashion-MNIST, 28x28 grey (Debian: dataset-fashion-mnist)", false, false},
            {"mnist", "MNIST-family IDX files from a folder (MNIST, KMNIST, ...)", true, false},
            {"digits", "UCI handwritten digits, 8x8 grey, 1797 images (Debian: python3-sklearn)", false, false},
            {"cifar10", "CIFAR-10 binary batches from a folder, 32x32 colour", true, false},
            {"cifar100", "CIFAR-100 binary files from a folder, 32x32 colour, fine labels", true, false},
            {"svhn", "SVHN cropped digits (train_32x32.mat, test_32x32.mat) from a folder, grey 28x28 as the official zoos", true, false},
            {"iris", "Iris, 4 features, 3 classes (Debian: python3-sklearn)", false, true},
            {"wine", "Wine, 13 features, 3 classes (Debian: python3-sklearn)", false, true},
            {"breast-cancer", "Breast cancer Wisconsin, 30 features, 2 classes (Debian: python3-sklearn)", false, true}};
}

const DatasetInfo &datasetInfo(const std::string &name)
{
    static const std::vector<DatasetInfo> all = knownDatasets();
    for (const DatasetInfo &info : all)
        if (info.name == name)
            return info;
    std::string list;
    for (const DatasetInfo &info : all)
        list += (list.empty() ? "" : ", ") + info.name;
    throw UsageError("unknown dataset '" + name + "' (known: " + list + ")");
}

std::string sklearnDataFolder() { return "/usr/lib/python3/dist-packages/sklearn/datasets/data"; }

std::vector<int64_t> officialSplitPermutation(int64_t n)
{
    at::Generator generator = at::detail::createCPUGenerator(42);
    at::Tensor permutation = at::randperm(n, generator, at::TensorOptions().dtype(at::kLong));
    const int64_t *data = permutation.data_ptr<int64_t>();
    return std::vector<int64_t>(data, data + n);
}

TrainTestData loadDataset(const DatasetOptions &options)
{
    datasetInfo(options.name); // unknown names fail here
    TrainTestData data;
    if (options.name == "fashion-mnist" || options.name == "mnist")
        data = loadIdx(options);
    else if (options.name == "cifar10" || options.name == "cifar100")
        data = loadCifar(options);
    else if (options.name == "svhn")
        data = loadSvhn(options);
    else
        data = loadSklearn(options);
    data.train = data.train.head(options.trainLimit);
    data.test = data.test.head(options.testLimit);
    return data;
}

} // namespace wse
