#pragma once
// Small helpers over the HDF5 C++ API shared by our file formats (zoo, embeddings, workspace):
// UTF-8 string and integer attributes, and tables stored as one dataset per column.
#include "zoo/table.h"

#include <H5Cpp.h>

#include <string>

namespace wse::hdf5 {

const H5::StrType &utf8String();
void writeStringAttribute(H5::H5Object &object, const std::string &name, const std::string &value);
void writeIntAttribute(H5::H5Object &object, const std::string &name, long long value);
std::string readStringAttribute(const H5::H5Object &object, const std::string &name);
long long readIntAttribute(const H5::H5Object &object, const std::string &name);

// A table as group `groupName` with one dataset per column (text: UTF-8 strings, else float64)
// and its column order in the attribute "column_order".
void writeTable(H5::H5File &file, const std::string &groupName, const Table &table);
// Throws FormatError naming `path` when the group is missing or a column is malformed.
Table readTable(const H5::H5File &file, const std::string &groupName, const std::string &path);

} // namespace wse::hdf5
