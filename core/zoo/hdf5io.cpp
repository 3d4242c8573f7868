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

void writeTable(H5::H5File &file, const std::string &groupName, const Table &table)
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

Table readTable(const H5::H5File &file, const std::string &groupName, const std::string &path)
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
