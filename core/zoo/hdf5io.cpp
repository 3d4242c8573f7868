#include "zoo/hdf5io.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace wse::hdf5 {

using json = nlohmann::json;

const H5::StrType &utf8String()
{
    static H5::StrType type = [] {
        H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
        t.setCset(H5T_CSET_UTF8);
        return t;
    }();
    return type;
}

void writeStringAttribute(H5::H5Object &object, const std::string &name, const std::string &value)
{
    H5::Attribute attribute = object.createAttribute(name, utf8String(), H5::DataSpace(H5S_SCALAR));
    attribute.write(utf8String(), value);
}

void writeIntAttribute(H5::H5Object &object, const std::string &name, long long value)
{
    H5::Attribute attribute = object.createAttribute(name, H5::PredType::NATIVE_LLONG, H5::DataSpace(H5S_SCALAR));
    attribute.write(H5::PredType::NATIVE_LLONG, &value);
}

std::string readStringAttribute(const H5::H5Object &object, const std::string &name)
{
    H5::Attribute attribute = object.openAttribute(name);
    std::string value;
    attribute.read(attribute.getStrType(), value);
    return value;
}

long long readIntAttribute(const H5::H5Object &object, const std::string &name)
{
    H5::Attribute attribute = object.openAttribute(name);
    long long value = 0;
    attribute.read(H5::PredType::NATIVE_LLONG, &value);
    return value;
}

namespace {

void writeColumn(H5::Group &group, const Column &column)
{
    const hsize_t rows = hsize_t(column.size());
    H5::DataSpace space(1, &rows);
    if (column.isText()) {
        std::vector<const char *> pointers;
        pointers.reserve(rows);
        for (const std::string &text : column.texts())
            pointers.push_back(text.c_str());
        H5::DataSet dataset = group.createDataSet(column.name(), utf8String(), space);
        if (rows > 0)
            dataset.write(pointers.data(), utf8String());
    } else {
        H5::DataSet dataset = group.createDataSet(column.name(), H5::PredType::IEEE_F64LE, space);
        if (rows > 0)
            dataset.write(column.numbers().data(), H5::PredType::NATIVE_DOUBLE);
    }
}

Column readColumn(const H5::Group &group, const std::string &name, const std::string &path)
{
    H5::DataSet dataset = group.openDataSet(name);
    H5::DataSpace space = dataset.getSpace();
    if (space.getSimpleExtentNdims() != 1)
        throw FormatError(path, "column '" + name + "' is not one-dimensional");
    hsize_t rows = 0;
    space.getSimpleExtentDims(&rows);
    if (dataset.getTypeClass() == H5T_STRING) {
        std::vector<std::string> values(rows);
        if (rows > 0) {
            std::vector<char *> pointers(rows, nullptr);
            dataset.read(pointers.data(), utf8String());
            for (hsize_t i = 0; i < rows; ++i)
                values[i] = pointers[i] ? pointers[i] : "";
            H5::DataSet::vlenReclaim(pointers.data(), utf8String(), space);
        }
        return Column::texts(name, std::move(values));
    }
    if (dataset.getTypeClass() != H5T_FLOAT && dataset.getTypeClass() != H5T_INTEGER)
        throw FormatError(path, "column '" + name + "' is neither numeric nor text");
    std::vector<double> values(rows);
    if (rows > 0)
        dataset.read(values.data(), H5::PredType::NATIVE_DOUBLE);
    return Column::numbers(name, std::move(values));
}

} // namespace

void writeTable(H5::Group &file, const std::string &groupName, const Table &table)
{
    H5::Group group = file.createGroup(groupName);
    json order = json::array();
    for (const Column &column : table.columns()) {
        writeColumn(group, column);
        order.push_back(column.name());
    }
    writeStringAttribute(group, "column_order", order.dump());
    writeIntAttribute(group, "rows", table.rowCount());
}

Table readTable(const H5::Group &file, const std::string &groupName, const std::string &path)
{
    if (!file.nameExists(groupName))
        throw FormatError(path, "missing group '/" + groupName + "'");
    H5::Group group = file.openGroup(groupName);
    Table table;
    for (const json &name : json::parse(readStringAttribute(group, "column_order")))
        table.addColumn(readColumn(group, name.get<std::string>(), path));
    return table;
}

} // namespace wse::hdf5

namespace wse::hdf5 {

void writeDoubleAttribute(H5::H5Object &object, const std::string &name, double value)
{
    H5::Attribute attribute = object.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
    attribute.write(H5::PredType::NATIVE_DOUBLE, &value);
}

double readDoubleAttribute(const H5::H5Object &object, const std::string &name)
{
    H5::Attribute attribute = object.openAttribute(name);
    double value = 0;
    attribute.read(H5::PredType::NATIVE_DOUBLE, &value);
    return value;
}

namespace {

template <typename T>
void writeArray(H5::Group &group, const std::string &name, const std::vector<T> &values, hsize_t rows, hsize_t cols,
                const H5::PredType &fileType, const H5::PredType &memoryType)
{
    const hsize_t shape[2] = {rows, cols};
    H5::DataSet dataset = group.createDataSet(name, fileType, H5::DataSpace(cols == 0 ? 1 : 2, shape));
    if (!values.empty())
        dataset.write(values.data(), memoryType);
}

template <typename T>
std::vector<T> readArray(const H5::Group &group, const std::string &name, const std::string &path, int64_t *cols,
                         const H5::PredType &memoryType)
{
    if (!group.nameExists(name))
        throw FormatError(path, "missing dataset '" + name + "' in " + group.getObjName());
    H5::DataSet dataset = group.openDataSet(name);
    H5::DataSpace space = dataset.getSpace();
    const int rank = space.getSimpleExtentNdims();
    if (rank < 1 || rank > 2 || (cols != nullptr) != (rank == 2))
        throw FormatError(path, "dataset '" + group.getObjName() + "/" + name + "' has the wrong number of dimensions");
    hsize_t shape[2] = {0, 1};
    space.getSimpleExtentDims(shape);
    if (cols)
        *cols = int64_t(shape[1]);
    std::vector<T> values(size_t(shape[0] * (rank == 2 ? shape[1] : 1)));
    if (!values.empty())
        dataset.read(values.data(), memoryType);
    return values;
}

} // namespace

void writeFloatMatrix(H5::Group &group, const std::string &name, const std::vector<float> &values, int64_t cols)
{
    writeArray(group, name, values, hsize_t(cols > 0 ? int64_t(values.size()) / cols : 0), hsize_t(cols),
               H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT);
}

std::vector<float> readFloatMatrix(const H5::Group &group, const std::string &name, const std::string &path, int64_t &cols)
{
    return readArray<float>(group, name, path, &cols, H5::PredType::NATIVE_FLOAT);
}

void writeInt64Vector(H5::Group &group, const std::string &name, const std::vector<int64_t> &values)
{
    writeArray(group, name, values, hsize_t(values.size()), 0, H5::PredType::STD_I64LE, H5::PredType::NATIVE_INT64);
}

std::vector<int64_t> readInt64Vector(const H5::Group &group, const std::string &name, const std::string &path)
{
    return readArray<int64_t>(group, name, path, nullptr, H5::PredType::NATIVE_INT64);
}

void writeDoubleVector(H5::Group &group, const std::string &name, const std::vector<double> &values)
{
    writeArray(group, name, values, hsize_t(values.size()), 0, H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE);
}

std::vector<double> readDoubleVector(const H5::Group &group, const std::string &name, const std::string &path)
{
    return readArray<double>(group, name, path, nullptr, H5::PredType::NATIVE_DOUBLE);
}

} // namespace wse::hdf5
