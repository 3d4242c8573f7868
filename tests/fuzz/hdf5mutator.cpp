#include "hdf5mutator.h"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace wse::fuzz {
namespace {

// The fuzzer's bytes, consumed front to back; reads past the end give zeros.
class Program
{
public:
    Program(const uint8_t *data, size_t size) : mData(data), mSize(size) {}
    bool done() const { return mPos >= mSize; }
    uint8_t byte() { return mPos < mSize ? mData[mPos++] : 0; }
    uint32_t word()
    {
        uint32_t value = 0;
        for (int i = 0; i < 4; ++i)
            value = value << 8 | byte();
        return value;
    }
    std::string text(size_t maxLength)
    {
        const size_t length = std::min<size_t>(byte() % (maxLength + 1), mSize - std::min(mPos, mSize));
        std::string out(reinterpret_cast<const char *>(mData + mPos), length);
        mPos += length;
        return out;
    }
    template <typename T> const T &pick(const std::vector<T> &choices) { return choices[word() % choices.size()]; }

private:
    const uint8_t *mData;
    size_t mSize;
    size_t mPos = 0;
};

// Numbers that break index and size checks: bounds, signs, fractions, NaN, huge values.
double interestingNumber(Program &program)
{
    static const std::vector<double> values = {
        0, 1, -1, 2, 3, 0.5, -0.5, 7, 255, 256, 65535, 1e9, -1e9, 2147483647.0, 2147483648.0, -2147483649.0,
        4294967296.0, 9007199254740993.0, 1e18, 9.3e18, -9.3e18, 1e300, -1e300,
        std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min()};
    const uint8_t how = program.byte();
    if (how < 200)
        return values[how % values.size()];
    return double(int32_t(program.word())); // any small integer, e.g. an index just beyond a table
}

// Texts that break JSON, number and name parsing, or invalid UTF-8 from the program itself.
std::string interestingText(Program &program)
{
    static const std::vector<std::string> values = {
        "", "[]", "{}", "null", "[null]", "[1e999]", "[-1]", "{\"a\":", "[\"cnn-s\"]", "[\"cnn-s\",\"cnn-s\"]",
        "[{\"key\":\"w\",\"shape\":[2147483648,2147483648]}]", "[{\"key\":\"w\",\"shape\":[-3]}]",
        "[{\"key\":\"w\",\"shape\":[]}]", "[{\"key\":\"w\"}]", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "{\"method\":\"umap\",\"dims\":-1}", "{\"method\":\"pca\",\"dims\":1000000000}", "\"text\"", "1e308",
        "\xff\xfe", "caf\xc3", "\xed\xa0\x80", "epoch", "weight_row", "model", "../../etc/passwd", "NaN"};
    const uint8_t how = program.byte();
    if (how < 160)
        return values[how % values.size()];
    return program.text(64);
}

struct Objects
{
    std::vector<std::string> all;      // groups and datasets, without the root
    std::vector<std::string> datasets;
    std::vector<std::pair<std::string, std::string>> attributes; // object path ("." = root), name
};

herr_t collectAttribute(hid_t, const char *name, const H5A_info_t *, void *context)
{
    auto *pair = static_cast<std::pair<Objects *, std::string> *>(context);
    pair->first->attributes.emplace_back(pair->second, name);
    return 0;
}

herr_t collectObject(hid_t root, const char *name, const H5O_info_t *info, void *context)
{
    auto *objects = static_cast<Objects *>(context);
    const std::string path = name;
    if (path != ".") {
        objects->all.push_back(path);
        if (info->type == H5O_TYPE_DATASET)
            objects->datasets.push_back(path);
    }
    std::pair<Objects *, std::string> pair(objects, path);
    H5Aiterate_by_name(root, name, H5_INDEX_NAME, H5_ITER_INC, nullptr, collectAttribute, &pair, H5P_DEFAULT);
    return 0;
}

Objects listObjects(hid_t file)
{
    Objects objects;
    H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, collectObject, &objects);
    return objects;
}

hid_t pickType(Program &program)
{
    switch (program.byte() % 7) {
    case 0: return H5Tcopy(H5T_NATIVE_INT8);
    case 1: return H5Tcopy(H5T_NATIVE_UINT8);
    case 2: return H5Tcopy(H5T_NATIVE_INT32);
    case 3: return H5Tcopy(H5T_NATIVE_INT64);
    case 4: return H5Tcopy(H5T_NATIVE_FLOAT);
    case 5: return H5Tcopy(H5T_NATIVE_DOUBLE);
    default: {
        const hid_t text = H5Tcopy(H5T_C_S1);
        H5Tset_size(text, H5T_VARIABLE);
        H5Tset_cset(text, H5T_CSET_UTF8);
        return text;
    }
    }
}

// Writes `count` elements of `type` into `target` (a dataset or attribute) from the program.
void writeValues(Program &program, hid_t target, hid_t type, size_t count, bool isAttribute)
{
    if (H5Tget_class(type) == H5T_STRING) {
        std::vector<std::string> texts(count);
        std::vector<const char *> pointers(count);
        for (size_t i = 0; i < count; ++i)
            pointers[i] = (texts[i] = interestingText(program)).c_str();
        isAttribute ? H5Awrite(target, type, pointers.data())
                    : H5Dwrite(target, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data());
        return;
    }
    std::vector<double> numbers(count);
    for (double &number : numbers)
        number = interestingNumber(program);
    // HDF5 converts doubles to the element type (clamping out-of-range values, as files do).
    isAttribute ? H5Awrite(target, H5T_NATIVE_DOUBLE, numbers.data())
                : H5Dwrite(target, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, numbers.data());
}

// Any rank up to 3; a dimension is small, or large (up to 2^43) when storage is chunked and unwritten.
std::vector<hsize_t> pickDims(Program &program, bool &huge)
{
    std::vector<hsize_t> dims(program.byte() % 4);
    huge = false;
    for (hsize_t &dim : dims) {
        const uint8_t b = program.byte();
        if (b < 220) {
            dim = b % 9;
        } else {
            dim = hsize_t(1) << (16 + b % 28);
            huge = true;
        }
    }
    return dims;
}

void replaceDataset(hid_t file, const std::string &path, Program &program)
{
    H5Ldelete(file, path.c_str(), H5P_DEFAULT);
    bool huge = false;
    const std::vector<hsize_t> dims = pickDims(program, huge);
    const hid_t type = pickType(program);
    const hid_t space = dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(int(dims.size()), dims.data(), nullptr);
    const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
    if (huge) {
        std::vector<hsize_t> chunk(dims.size(), 1);
        H5Pset_chunk(properties, int(chunk.size()), chunk.data());
        H5Pset_alloc_time(properties, H5D_ALLOC_TIME_INCR);
    }
    const hid_t dataset = H5Dcreate2(file, path.c_str(), type, space, H5P_DEFAULT, properties, H5P_DEFAULT);
    if (dataset >= 0 && !huge)
        writeValues(program, dataset, type, size_t(H5Sget_simple_extent_npoints(space)), false);
    if (dataset >= 0)
        H5Dclose(dataset);
    H5Pclose(properties);
    H5Sclose(space);
    H5Tclose(type);
}

void overwriteElement(hid_t file, const std::string &path, Program &program)
{
    const hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
    if (dataset < 0)
        return;
    const hid_t space = H5Dget_space(dataset);
    const hid_t type = H5Dget_type(dataset);
    const hssize_t count = H5Sget_simple_extent_npoints(space);
    if (count > 0 && count < (1 << 24) && H5Tget_class(type) != H5T_STRING) {
        const int rank = H5Sget_simple_extent_ndims(space);
        const size_t ranks = size_t(std::max(rank, 0));
        std::vector<hsize_t> dims(ranks), start(ranks), one(ranks, 1);
        H5Sget_simple_extent_dims(space, dims.data(), nullptr);
        for (size_t d = 0; d < dims.size(); ++d)
            start[d] = program.word() % dims[d];
        if (rank > 0)
            H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, one.data(), nullptr);
        const hid_t memory = H5Screate(H5S_SCALAR);
        const double value = interestingNumber(program);
        H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, &value);
        H5Sclose(memory);
    }
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(dataset);
}

void growChunked(hid_t file, const std::string &path, Program &program)
{
    const hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
    if (dataset < 0)
        return;
    const hid_t space = H5Dget_space(dataset);
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank > 0) {
        std::vector<hsize_t> dims(static_cast<size_t>(rank));
        H5Sget_simple_extent_dims(space, dims.data(), nullptr);
        hsize_t &dim = dims[program.byte() % dims.size()];
        // Only ever grow: shrinking a dataset an earlier edit grew to 2^43 elements makes HDF5
        // visit every chunk of the old extent, which is the mutator's time, not the reader's.
        dim = std::max(dim, hsize_t(1) << (program.byte() % 44));
        H5Dset_extent(dataset, dims.data()); // fails (skipped) unless chunked with room to grow
    }
    H5Sclose(space);
    H5Dclose(dataset);
}

std::string readTextAttribute(hid_t attribute)
{
    const hid_t type = H5Aget_type(attribute);
    const hid_t space = H5Aget_space(attribute);
    const bool single = H5Sget_simple_extent_npoints(space) == 1;
    H5Sclose(space);
    std::string value;
    if (single && H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
        char *text = nullptr;
        const hid_t memory = H5Tget_native_type(type, H5T_DIR_ASCEND);
        if (H5Aread(attribute, memory, &text) >= 0 && text) {
            value = text;
            H5free_memory(text);
        }
        H5Tclose(memory);
    }
    H5Tclose(type);
    return value;
}

void writeAttribute(hid_t file, const std::string &object, const std::string &name, Program &program,
                    const std::string *text)
{
    H5Adelete_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT);
    const hid_t type = text ? H5Tcopy(H5T_C_S1) : pickType(program);
    if (text) {
        H5Tset_size(type, H5T_VARIABLE);
        H5Tset_cset(type, H5T_CSET_UTF8);
    }
    const hsize_t length = text ? 1 : program.byte() % 4;
    const hid_t space = length <= 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &length, nullptr);
    const hid_t attribute = H5Acreate_by_name(file, object.c_str(), name.c_str(), type, space, H5P_DEFAULT,
                                              H5P_DEFAULT, H5P_DEFAULT);
    if (attribute >= 0) {
        if (text) {
            const char *pointer = text->c_str();
            H5Awrite(attribute, type, &pointer);
        } else {
            writeValues(program, attribute, type, size_t(std::max<hsize_t>(length, 1)), true);
        }
        H5Aclose(attribute);
    }
    H5Sclose(space);
    H5Tclose(type);
}

// Replaces bytes of a text attribute (a JSON list, a settings object) at a chosen place.
void spliceAttribute(hid_t file, const std::string &object, const std::string &name, Program &program)
{
    const hid_t attribute = H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
    if (attribute < 0)
        return;
    std::string value = readTextAttribute(attribute);
    H5Aclose(attribute);
    if (value.empty())
        return;
    const size_t at = program.word() % value.size();
    const size_t remove = std::min<size_t>(program.byte() % 8, value.size() - at);
    value.replace(at, remove, program.byte() < 128 ? interestingText(program) : program.text(8));
    writeAttribute(file, object, name, program, &value);
}

bool applyEdit(hid_t file, Objects &objects, Program &program)
{
    const uint8_t edit = program.byte() % 7;
    if ((edit == 0 && objects.all.empty()) || ((edit == 2 || edit == 4 || edit == 5) && objects.datasets.empty()) ||
        ((edit == 1 || edit == 3 || edit == 6) && objects.attributes.empty()))
        return false;
    switch (edit) {
    case 0: H5Ldelete(file, program.pick(objects.all).c_str(), H5P_DEFAULT); break;
    case 1: {
        const auto &[object, name] = program.pick(objects.attributes);
        H5Adelete_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT);
        break;
    }
    case 2: replaceDataset(file, program.pick(objects.datasets), program); break;
    case 3: {
        const auto &[object, name] = program.pick(objects.attributes);
        writeAttribute(file, object, name, program, nullptr);
        break;
    }
    case 4: overwriteElement(file, program.pick(objects.datasets), program); break;
    case 5: growChunked(file, program.pick(objects.datasets), program); break;
    case 6: {
        const auto &[object, name] = program.pick(objects.attributes);
        spliceAttribute(file, object, name, program);
        break;
    }
    }
    objects = listObjects(file);
    return true;
}

} // namespace

int mutateHdf5File(const std::string &path, const uint8_t *data, size_t size)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0)
        return 0;
    Objects objects = listObjects(file);
    Program program(data, size);
    int applied = 0;
    for (int edits = 0; edits < 6 && !program.done(); ++edits)
        applied += applyEdit(file, objects, program) ? 1 : 0;
    H5Fclose(file);
    return applied;
}

} // namespace wse::fuzz
