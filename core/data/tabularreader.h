#pragma once
// Readers for the small datasets scikit-learn bundles (python3-sklearn ships them as CSV) and
// for CIFAR binary batches. They return raw values; normalisation happens in datasets.cpp.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct RawTable
{
    int64_t rows = 0;
    int64_t features = 0;
    int64_t classes = 0;
    std::vector<float> values;   // rows x features
    std::vector<int64_t> labels; // rows
};

// scikit-learn's bundled CSVs: "digits.csv.gz" (64 pixel columns then the label, no header) or
// the iris/wine/breast_cancer layout (a header "rows,features,class names...", then features and
// the label per line). Plain or gzip-compressed. Throws IoError / FormatError naming the file.
RawTable readSklearnCsv(const std::string &path, bool hasHeader);

struct RawImages
{
    int64_t count = 0, channels = 0, height = 0, width = 0;
    std::vector<uint8_t> pixels; // count x channels x height x width
    std::vector<int64_t> labels;
};

// CIFAR-10 (1 label byte per record) or CIFAR-100 (coarse + fine label bytes; the fine label is
// used) binary batch files, concatenated.
RawImages readCifarBatches(const std::vector<std::string> &paths, int labelBytes);

} // namespace wse
