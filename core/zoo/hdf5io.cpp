#include "zoo/hdf5io.h"

#include "common/error.h"
#include "common/filekind.h"
#include "common/jsonread.h"
#include "common/numbertext.h"
#include "common/utf8.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
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

namespace {

// The attribute `name` of `object`, checked to hold one value of the given type class (a file may
// store a list or another type under any name; reading that into one value would overrun it).
H5::Attribute openSingleAttribute(const H5::H5Object &object, const std::string &name, bool text)
{
    if (!object.attrExists(name))
        throw FormatError({}, object.getObjName() + ": missing attribute '" + name + "'");
    H5::Attribute attribute = object.openAttribute(name);
    const H5T_class_t type = attribute.getTypeClass();
    const bool fits = text ? type == H5T_STRING : (type == H5T_INTEGER || type == H5T_FLOAT);
    if (!fits)
        throw FormatError({}, object.getObjName() + ": attribute '" + name + "' is not " + (text ? "text" : "a number"));
    const hssize_t values = attribute.getSpace().getSimpleExtentNpoints();
    if (values != 1)
        throw FormatError({}, object.getObjName() + ": attribute '" + name + "' holds " + std::to_string(values) +
                                  " values, expected one");
    return attribute;
}

} // namespace

std::string readStringAttribute(const H5::H5Object &object, const std::string &name)
{
    H5::Attribute attribute = openSingleAttribute(object, name, true);
    std::string value;
    attribute.read(attribute.getStrType(), value);
    const size_t bad = firstInvalidUtf8(value);
    if (bad != std::string::npos)
        throw FormatError({}, object.getObjName() + ": attribute '" + name + "' is not valid UTF-8 (byte " +
                                  std::to_string(bad) + ")");
    return value;
}

json readJsonAttribute(const H5::H5Object &object, const std::string &name, const std::string &path)
{
    const std::string text = readStringAttribute(object, name);
    try {
        return json::parse(text);
    } catch (const json::exception &error) {
        throw FormatError(path, object.getObjName() + ": attribute '" + name + "' is not valid JSON (" +
                                    jsonread::describe(error) + ")");
    }
}

std::vector<hsize_t> checkedExtent(const H5::DataSet &dataset, int rank, size_t elementBytes, const std::string &path)
{
    const H5::DataSpace space = dataset.getSpace();
    const int actual = space.getSimpleExtentNdims();
    if (actual != rank)
        throw FormatError(path, dataset.getObjName() + ": has " + std::to_string(actual) + " dimensions, expected " +
                                    std::to_string(rank));
    std::vector<hsize_t> extent(size_t(std::max(rank, 1)), 1);
    if (rank > 0)
        space.getSimpleExtentDims(extent.data());
    // Deflate packs at most ~1032:1; nothing we write declares more than that of the file's size.
    std::error_code error;
    const double fileBytes = double(std::filesystem::file_size(path, error));
    double declared = double(elementBytes);
    for (hsize_t size : extent)
        declared *= double(size);
    if (declared > 1100.0 * fileBytes + double(64 << 20))
        throw FormatError(path, dataset.getObjName() + ": declares " + byteSize(declared) + ", more than a file of " +
                                    byteSize(fileBytes) + " can hold (damaged or hostile file)");
    // Reading visits every chunk of the extent, written or not; each chunk we write costs the file
    // more than 16 bytes of index, so a small file declaring millions of chunks would only stall.
    const H5::DSetCreatPropList layout = dataset.getCreatePlist();
    if (rank > 0 && layout.getLayout() == H5D_CHUNKED) {
        std::vector<hsize_t> chunk(size_t(rank), 1);
        layout.getChunk(rank, chunk.data());
        double chunks = 1.0;
        for (int d = 0; d < rank; ++d)
            chunks *= std::ceil(double(extent[size_t(d)]) / double(std::max<hsize_t>(chunk[size_t(d)], 1)));
        if (chunks > fileBytes / 16.0 + 65536.0)
            throw FormatError(path, dataset.getObjName() + ": declares " + plainNumber(chunks) +
                                        " storage chunks, more than a file of " + byteSize(fileBytes) +
                                        " can index (damaged or hostile file)");
    }
    return extent;
}

void rethrowNamingFile(const std::string &path)
{
    try {
        throw;
    } catch (const Error &error) {
        if (!error.path().empty())
            throw;
        throw FormatError(path, error.reason());
    }
}

void throwDamaged(const std::string &path, const H5::Exception &error)
{
    throw FormatError(path, "damaged HDF5 file (" + error.getDetailMsg() + ")");
}

void requireFormat(const H5::Group &group, FileKind kind, const std::string &path)
{
    const FileFormat &expected = fileFormat(kind);
    const std::string format = group.attrExists("format") ? readStringAttribute(group, "format") : std::string();
    if (format != expected.hdf5Format) {
        for (const FileFormat &other : fileFormats())
            if (!format.empty() && other.hdf5Format == format)
                throw FormatError(path, "is " + withArticle(other.name) + ", not " + withArticle(expected.name));
        throw FormatError(path, "HDF5 file is not a Weight Space Explorer " + expected.name +
                                    (format.empty() ? " (no 'format' attribute)" : " (its format is '" + format + "')"));
    }
    const long long version = readIntAttribute(group, "format_version");
    if (version > expected.version)
        throw FormatError(path, "written by a newer Weight Space Explorer (" + expected.name + " format version " +
                                    std::to_string(version) + "; this version reads up to " +
                                    std::to_string(expected.version) + "). Please update to open it; the file was not changed.");
    if (version < 1)
        throw FormatError(path, "'format_version' is " + std::to_string(version) + ", not a version (damaged file)");
}

H5::H5File openFormatted(const std::string &path, FileKind kind)
{
    H5::Exception::dontPrint();
    requireRegularFile(path);
    if (!H5::H5File::isHdf5(path))
        throw FormatError(path, "not an HDF5 file, so not " + withArticle(fileFormat(kind).name));
    return readNamingFile(path, [&] {
        H5::H5File file(path, H5F_ACC_RDONLY);
        requireFormat(file, kind, path);
        return file;
    });
}

long long readIntAttribute(const H5::H5Object &object, const std::string &name)
{
    const double value = readDoubleAttribute(object, name);
    if (value != std::floor(value) || std::fabs(value) > 9.0e15)
        throw FormatError({}, object.getObjName() + ": attribute '" + name + "' is " + plainNumber(value) +
                                  ", not a whole number");
    return static_cast<long long>(value);
}

namespace {

// "/group/name", "/name" under the root.
std::string childPath(const H5::Group &group, const std::string &name)
{
    const std::string parent = group.getObjName();
    return (parent == "/" ? std::string() : parent) + "/" + name;
}

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
    const std::string where = childPath(group, name);
    if (!group.nameExists(name) || group.childObjType(name) != H5O_TYPE_DATASET)
        throw FormatError(path, where + ": listed in column_order but missing");
    H5::DataSet dataset = group.openDataSet(name);
    const bool text = dataset.getTypeClass() == H5T_STRING;
    if (!text && dataset.getTypeClass() != H5T_FLOAT && dataset.getTypeClass() != H5T_INTEGER)
        throw FormatError(path, where + ": neither numbers nor text");
    const hsize_t rows = checkedExtent(dataset, 1, text ? 16 : 8, path)[0];
    if (text) {
        if (!dataset.getStrType().isVariableStr())
            throw FormatError(path, where + ": text of fixed length (this program writes variable-length UTF-8)");
        std::vector<std::string> values(rows);
        if (rows > 0) {
            std::vector<char *> pointers(rows, nullptr);
            H5::DataSpace space = dataset.getSpace();
            dataset.read(pointers.data(), utf8String());
            for (hsize_t i = 0; i < rows; ++i)
                values[i] = pointers[i] ? pointers[i] : "";
            H5::DataSet::vlenReclaim(pointers.data(), utf8String(), space);
        }
        for (hsize_t i = 0; i < rows; ++i)
            if (firstInvalidUtf8(values[i]) != std::string::npos)
                throw FormatError(path, where + ": row " + std::to_string(i) + " is not valid UTF-8");
        return Column::texts(name, std::move(values));
    }
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
    if (!file.nameExists(groupName) || file.childObjType(groupName) != H5O_TYPE_GROUP)
        throw FormatError(path, "missing group '/" + groupName + "'");
    H5::Group group = file.openGroup(groupName);
    const json order = readJsonAttribute(group, "column_order", path);
    if (!order.is_array())
        throw FormatError(path, group.getObjName() + ": attribute 'column_order' is not a list of column names");
    Table table;
    for (const json &name : order) {
        if (!name.is_string())
            throw FormatError(path, group.getObjName() + ": attribute 'column_order' holds " + jsonread::shown(name) +
                                        ", not a column name");
        Column column = readColumn(group, name.get<std::string>(), path);
        if (table.find(column.name()))
            throw FormatError(path, group.getObjName() + ": column '" + column.name() + "' is listed twice");
        if (!table.columns().empty() && column.size() != table.rowCount())
            throw FormatError(path, childPath(group, column.name()) + ": " + std::to_string(column.size()) +
                                        " rows, the other columns have " + std::to_string(table.rowCount()));
        table.addColumn(std::move(column));
    }
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
    H5::Attribute attribute = openSingleAttribute(object, name, false);
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
    if (!group.nameExists(name) || group.childObjType(name) != H5O_TYPE_DATASET)
        throw FormatError(path, childPath(group, name) + ": missing");
    H5::DataSet dataset = group.openDataSet(name);
    if (dataset.getTypeClass() != H5T_FLOAT && dataset.getTypeClass() != H5T_INTEGER)
        throw FormatError(path, dataset.getObjName() + ": not numbers");
    const std::vector<hsize_t> shape = checkedExtent(dataset, cols ? 2 : 1, sizeof(T), path);
    if (cols)
        *cols = int64_t(shape[1]);
    std::vector<T> values(size_t(shape[0] * (cols ? shape[1] : 1)));
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
