#pragma once
// Small helpers over the HDF5 C++ API shared by our file formats (zoo, embeddings, workspace):
// UTF-8 string and integer attributes, and tables stored as one dataset per column.
#include "common/error.h"
#include "common/jsonread.h"
#include "formats/fileformat.h"
#include "zoo/table.h"

#include <H5Cpp.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace wse::hdf5 {

const H5::StrType &utf8String();
void writeStringAttribute(H5::H5Object &object, const std::string &name, const std::string &value);
void writeIntAttribute(H5::H5Object &object, const std::string &name, long long value);
std::string readStringAttribute(const H5::H5Object &object, const std::string &name);
long long readIntAttribute(const H5::H5Object &object, const std::string &name);

// A JSON text attribute, parsed. Throws FormatError "<path>: <object> attribute '<name>': not valid JSON ..."
nlohmann::json readJsonAttribute(const H5::H5Object &object, const std::string &name, const std::string &path);

// The extent of a dataset of the given rank, refused (FormatError naming the dataset's path in the file)
// when its rank differs or it declares more data than a file of this size can hold even compressed,
// so that a small hostile file cannot make a reader allocate gigabytes.
std::vector<hsize_t> checkedExtent(const H5::DataSet &dataset, int rank, size_t elementBytes, const std::string &path);

// Rethrows a wse::Error that names no file (raised by code that does not know it) with `path`.
[[noreturn]] void rethrowNamingFile(const std::string &path);

// Opens `path` read-only as a file of `kind` (formats/fileformat.h): a regular HDF5 file whose
// 'format' attribute names that kind and whose 'format_version' this program reads. Throws
// FormatError naming the file: "not an HDF5 file", "is a workspace, not a zoo", "written by a newer
// Weight Space Explorer (...)".
H5::H5File openFormatted(const std::string &path, FileKind kind);
// The same check of a group's own 'format' and 'format_version' (a workspace keeps embeddings so).
void requireFormat(const H5::Group &group, FileKind kind, const std::string &path);

[[noreturn]] void throwDamaged(const std::string &path, const H5::Exception &error);

// Runs `read` and turns what it throws into one message naming the file: a wse::Error without a
// file gets `path`; an HDF5 library exception becomes "damaged HDF5 file (...)", a JSON library one
// "an attribute is not valid JSON (...)".
template <typename Read> auto readNamingFile(const std::string &path, Read &&read) -> decltype(read())
{
    try {
        return read();
    } catch (const Error &) {
        rethrowNamingFile(path);
    } catch (const H5::Exception &error) {
        throwDamaged(path, error);
    } catch (const nlohmann::json::exception &error) {
        throw FormatError(path, "an attribute is not valid JSON (" + jsonread::describe(error) + ")");
    }
}

void writeDoubleAttribute(H5::H5Object &object, const std::string &name, double value);
double readDoubleAttribute(const H5::H5Object &object, const std::string &name);

// Plain arrays: float32 matrices (rows x cols), int64 and float64 vectors. Readers throw
// FormatError naming `path` when the dataset is missing or has the wrong rank.
void writeFloatMatrix(H5::Group &group, const std::string &name, const std::vector<float> &values, int64_t cols);
std::vector<float> readFloatMatrix(const H5::Group &group, const std::string &name, const std::string &path, int64_t &cols);
void writeInt64Vector(H5::Group &group, const std::string &name, const std::vector<int64_t> &values);
std::vector<int64_t> readInt64Vector(const H5::Group &group, const std::string &name, const std::string &path);
void writeDoubleVector(H5::Group &group, const std::string &name, const std::vector<double> &values);
std::vector<double> readDoubleVector(const H5::Group &group, const std::string &name, const std::string &path);

// A table as group `groupName` with one dataset per column (text: UTF-8 strings, else float64)
// and its column order in the attribute "column_order"; `file` may be any group of the file.
void writeTable(H5::Group &file, const std::string &groupName, const Table &table);
// Throws FormatError naming `path` when the group is missing or a column is malformed.
Table readTable(const H5::Group &file, const std::string &groupName, const std::string &path);

} // namespace wse::hdf5
