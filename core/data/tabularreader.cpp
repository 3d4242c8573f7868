#include "data/tabularreader.h"

#include "common/error.h"
#include "common/filekind.h"

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wse {

namespace {

std::string readMaybeCompressed(const std::string &path)
{
    requireRegularFile(path);
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        throw IoError(path, "cannot open");
    std::string text;
    char buffer[1 << 16];
    int got = 0;
    while ((got = gzread(file, buffer, sizeof buffer)) > 0)
        text.append(buffer, size_t(got));
    gzclose(file);
    if (got < 0)
        throw FormatError(path, "corrupt compressed data");
    return text;
}

std::vector<double> parseLine(const std::string &line, const std::string &path, int64_t lineNumber)
{
    std::vector<double> values;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) {
        char *end = nullptr;
        const double value = std::strtod(cell.c_str(), &end);
        if (end == cell.c_str())
            throw FormatError(path, "line " + std::to_string(lineNumber) + ": '" + cell + "' is not a number");
        values.push_back(value);
    }
    return values;
}

} // namespace

RawTable readSklearnCsv(const std::string &path, bool hasHeader)
{
    std::istringstream lines(readMaybeCompressed(path));
    std::string line;
    RawTable table;
    int64_t lineNumber = 0;
    if (hasHeader && std::getline(lines, line))
        ++lineNumber; // "150,4,setosa,versicolor,virginica": counts and class names
    while (std::getline(lines, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \r\t") == std::string::npos)
            continue;
        const std::vector<double> values = parseLine(line, path, lineNumber);
        if (values.size() < 2)
            throw FormatError(path, "line " + std::to_string(lineNumber) + " has fewer than two columns");
        if (table.rows == 0)
            table.features = int64_t(values.size()) - 1;
        else if (int64_t(values.size()) - 1 != table.features)
            throw FormatError(path, "line " + std::to_string(lineNumber) + " has " + std::to_string(values.size()) +
                                        " columns, the first data line has " + std::to_string(table.features + 1));
        table.values.insert(table.values.end(), values.begin(), values.end() - 1);
        const auto label = int64_t(values.back());
        if (label < 0 || double(label) != values.back())
            throw FormatError(path, "line " + std::to_string(lineNumber) + ": label is not a non-negative integer");
        table.labels.push_back(label);
        table.classes = std::max(table.classes, label + 1);
        ++table.rows;
    }
    if (table.rows == 0)
        throw FormatError(path, "no data lines");
    return table;
}

RawImages readCifarBatches(const std::vector<std::string> &paths, int labelBytes)
{
    RawImages images;
    images.channels = 3;
    images.height = images.width = 32;
    const size_t record = size_t(labelBytes) + 3072;
    for (const std::string &path : paths) {
        std::ifstream in(path, std::ios::binary | std::ios::ate);
        if (!in)
            throw IoError(path, "missing CIFAR batch file");
        const auto size = size_t(in.tellg());
        if (size == 0 || size % record != 0)
            throw FormatError(path, "size " + std::to_string(size) + " is not a multiple of the " +
                                        std::to_string(record) + "-byte CIFAR record (wrong dataset or truncated)");
        in.seekg(0);
        std::vector<uint8_t> bytes(size);
        in.read(reinterpret_cast<char *>(bytes.data()), std::streamsize(size));
        for (size_t at = 0; at < size; at += record) {
            images.labels.push_back(bytes[at + size_t(labelBytes) - 1]); // CIFAR-100: the fine label
            images.pixels.insert(images.pixels.end(), bytes.begin() + long(at) + labelBytes,
                                 bytes.begin() + long(at + record));
            ++images.count;
        }
    }
    return images;
}

} // namespace wse
