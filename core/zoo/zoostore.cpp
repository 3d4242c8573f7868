#include "zoo/zoostore.h"

#include "common/error.h"
#include "common/filekind.h"
#include "common/isolatedread.h"
#include "common/jsonread.h"
#include "common/text.h"
#include "zoo/hdf5io.h"
#include "zoo/hdf5output.h"

#include <H5Cpp.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <ctime>
#include <map>

namespace wse {

namespace {

using json = nlohmann::json;
using namespace hdf5;

json architectureToJson(const Architecture &architecture)
{
    json tensors = json::array();
    for (const TensorSpec &tensor : architecture.tensors)
        tensors.push_back({{"key", tensor.key}, {"shape", tensor.shape}});
    return tensors;
}

// Writes the matrix slab by slab from `source`, so a zoo larger than memory streams through.
void writeWeights(H5::Group &group, const WeightMatrix &matrix, size_t architecture, const ZooStore::WeightRowSource &source)
{
    const hsize_t dims[2] = {hsize_t(matrix.rows), hsize_t(matrix.cols)};
    const hsize_t maxDims[2] = {H5S_UNLIMITED, hsize_t(matrix.cols)};
    H5::DataSpace space(2, dims, maxDims);
    // Chunks of whole rows, about 1 MiB each: a checkpoint is read with few chunk decompressions.
    const hsize_t rowsPerChunk = std::clamp<hsize_t>(hsize_t((1 << 20) / 4 / std::max<int64_t>(matrix.cols, 1)), 1, 4096);
    const hsize_t chunk[2] = {rowsPerChunk, hsize_t(std::max<int64_t>(matrix.cols, 1))};
    H5::DSetCreatPropList properties;
    properties.setChunk(2, chunk);
    properties.setShuffle();
    properties.setDeflate(1); // float weights compress ~1.25:1 at any level; level 1 is the fastest
    H5::DataSet dataset = group.createDataSet("weights", H5::PredType::IEEE_F32LE, space, properties);
    // Slabs of whole chunks (about 32 MiB): each chunk is compressed once, as it is filled.
    const int64_t slabRows = int64_t(rowsPerChunk) * 32;
    std::vector<float> slab;
    for (int64_t first = 0; first < matrix.rows; first += slabRows) {
        const int64_t count = std::min(slabRows, matrix.rows - first);
        slab.resize(size_t(count * matrix.cols));
        source(architecture, first, count, slab.data());
        const hsize_t offset[2] = {hsize_t(first), 0};
        const hsize_t extent[2] = {hsize_t(count), hsize_t(matrix.cols)};
        H5::DataSpace fileSpace = dataset.getSpace();
        fileSpace.selectHyperslab(H5S_SELECT_SET, extent, offset);
        dataset.write(slab.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, extent), fileSpace);
    }
}

// The architectures' names in their order; each must be a group under /architectures.
std::vector<std::string> architectureOrder(const H5::H5File &file, const std::string &path)
{
    if (!file.nameExists("architectures") || file.childObjType("architectures") != H5O_TYPE_GROUP)
        throw FormatError(path, "missing group '/architectures'");
    const H5::Group group = file.openGroup("architectures");
    const json order = readJsonAttribute(group, "order", path);
    if (!order.is_array() || order.empty())
        throw FormatError(path, "/architectures: attribute 'order' is not a list of architecture names");
    std::vector<std::string> names;
    for (const json &name : order) {
        if (!name.is_string() || name.get<std::string>().empty())
            throw FormatError(path, "/architectures: attribute 'order' holds " + jsonread::shown(name) + ", not a name");
        if (!group.nameExists(name.get<std::string>()) || group.childObjType(name.get<std::string>()) != H5O_TYPE_GROUP)
            throw FormatError(path, "/architectures/" + name.get<std::string>() +
                                        ": listed in the 'order' attribute of /architectures but missing");
        names.push_back(name.get<std::string>());
    }
    return names;
}

// An architecture's tensors from its "tensors" attribute: [{"key": name, "shape": [sizes]}, ...].
Architecture readArchitecture(const H5::Group &group, const std::string &name, const std::string &path)
{
    Architecture architecture;
    architecture.name = name;
    architecture.description = readStringAttribute(group, "description");
    const json tensors = readJsonAttribute(group, "tensors", path);
    const std::string where = group.getObjName() + ": attribute 'tensors'";
    if (!tensors.is_array())
        throw FormatError(path, where + " is not a list of tensors");
    double parameters = 0;
    for (const json &tensor : tensors) {
        if (!tensor.is_object() || !tensor.contains("key") || !tensor.contains("shape"))
            throw FormatError(path, where + " holds " + jsonread::shown(tensor) + ", not {\"key\": ..., \"shape\": [...]}");
        TensorSpec spec{jsonread::get<std::string>(tensor["key"], "key", path),
                        jsonread::get<std::vector<int64_t>>(tensor["shape"], "shape", path)};
        double numel = 1;
        for (int64_t size : spec.shape) {
            if (size < 0)
                throw FormatError(path, where + ": tensor '" + spec.key + "' has a negative size");
            numel *= double(size);
        }
        parameters += numel;
        if (parameters > double(int64_t(1) << 40))
            throw FormatError(path, where + ": more than 2^40 parameters");
        architecture.tensors.push_back(std::move(spec));
    }
    return architecture;
}

WeightMatrix readWeightMatrix(const H5::Group &group, const Architecture &architecture, bool withWeights,
                              const std::string &path)
{
    if (!group.nameExists("weights") || group.childObjType("weights") != H5O_TYPE_DATASET)
        throw FormatError(path, group.getObjName() + "/weights: missing");
    const H5::DataSet dataset = group.openDataSet("weights");
    if (dataset.getSpace().getSimpleExtentNdims() != 2)
        throw FormatError(path, "weights of '" + architecture.name + "' are not a matrix (" + dataset.getObjName() + ")");
    const std::vector<hsize_t> dims = checkedExtent(dataset, 2, sizeof(float), path);
    if (int64_t(dims[1]) != architecture.numel())
        throw FormatError(path, "weights of '" + architecture.name + "' have " + std::to_string(dims[1]) +
                                    " columns, the architecture has " + std::to_string(architecture.numel()) +
                                    " parameters (" + dataset.getObjName() + ")");
    WeightMatrix matrix;
    matrix.rows = int64_t(dims[0]);
    matrix.cols = int64_t(dims[1]);
    if (withWeights && matrix.rows > 0) {
        matrix.values.resize(size_t(matrix.rows * matrix.cols));
        dataset.read(matrix.values.data(), H5::PredType::NATIVE_FLOAT);
    }
    return matrix;
}

std::map<std::string, std::vector<uint8_t>> readAttachments(const H5::H5File &file, const std::string &path)
{
    std::map<std::string, std::vector<uint8_t>> attachments;
    if (!file.nameExists("attachments"))
        return attachments;
    const H5::Group group = file.openGroup("attachments");
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) {
        const std::string name = group.getObjnameByIdx(i);
        const H5::DataSet dataset = group.openDataSet(name);
        const hsize_t size = checkedExtent(dataset, 1, 1, path)[0];
        std::vector<uint8_t> &bytes = attachments[name];
        bytes.resize(size);
        if (size > 0)
            dataset.read(bytes.data(), H5::PredType::NATIVE_UINT8);
    }
    return attachments;
}

} // namespace

void ZooStore::write(const Zoo &zoo, const std::string &path)
{
    for (const WeightMatrix &matrix : zoo.weights)
        if (int64_t(matrix.values.size()) != matrix.rows * matrix.cols)
            throw UsageError("cannot write a zoo whose weights were not loaded");
    writeStreamed(zoo, [&](size_t architecture, int64_t firstRow, int64_t count, float *out) {
        const WeightMatrix &matrix = zoo.weights[architecture];
        std::copy_n(matrix.row(firstRow), size_t(count * matrix.cols), out);
    }, path);
}

void ZooStore::writeStreamed(const Zoo &zoo, const WeightRowSource &rows, const std::string &path)
{
    zoo.validate(path);
    writeFileAtomically(path, [&](H5::H5File &file) {
        writeStringAttribute(file, "format", FormatName);
        writeIntAttribute(file, "format_version", FormatVersion);
        writeStringAttribute(file, "name", zoo.name);
        writeStringAttribute(file, "provenance", zoo.provenance.empty() ? "{}" : zoo.provenance);
        writeStringAttribute(file, "written", currentTimeIso());

        H5::Group architectures = file.createGroup("architectures");
        json order = json::array();
        for (size_t i = 0; i < zoo.architectures.size(); ++i) {
            const Architecture &architecture = zoo.architectures[i];
            H5::Group group = architectures.createGroup(architecture.name);
            writeStringAttribute(group, "description", architecture.description);
            writeStringAttribute(group, "tensors", architectureToJson(architecture).dump());
            writeIntAttribute(group, "numel", architecture.numel());
            writeWeights(group, zoo.weights[i], i, rows);
            order.push_back(architecture.name);
        }
        writeStringAttribute(architectures, "order", order.dump());

        writeTable(file, "models", zoo.models);
        writeTable(file, "checkpoints", zoo.checkpoints);
        if (zoo.curves.rowCount() > 0)
            writeTable(file, "curves", zoo.curves);
        if (!zoo.attachments.empty()) {
            H5::Group attachments = file.createGroup("attachments");
            for (const auto &[name, bytes] : zoo.attachments) {
                const hsize_t size = bytes.size();
                H5::DataSet dataset = attachments.createDataSet(name, H5::PredType::NATIVE_UINT8, H5::DataSpace(1, &size));
                if (size > 0)
                    dataset.write(bytes.data(), H5::PredType::NATIVE_UINT8);
            }
        }
    });
}

namespace {
Zoo readZooFile(const std::string &path, bool withWeights);
} // namespace

Zoo ZooStore::read(const std::string &path, bool withWeights)
{
    tryReadInChildProcess(path, [&] { readZooFile(path, /*withWeights=*/false); });
    return readZooFile(path, withWeights);
}

namespace {

Zoo readZooFile(const std::string &path, bool withWeights)
{
    return readNamingFile(path, [&] {
        H5::H5File file = openFormatted(path, FileKind::Zoo);
        Zoo zoo;
        zoo.name = readStringAttribute(file, "name");
        zoo.provenance = readStringAttribute(file, "provenance");
        const H5::Group architectures = file.openGroup("architectures");
        for (const std::string &name : architectureOrder(file, path)) {
            const H5::Group group = architectures.openGroup(name);
            zoo.architectures.push_back(readArchitecture(group, name, path));
            zoo.weights.push_back(readWeightMatrix(group, zoo.architectures.back(), withWeights, path));
        }
        zoo.models = readTable(file, "models", path);
        zoo.checkpoints = readTable(file, "checkpoints", path);
        if (file.nameExists("curves"))
            zoo.curves = readTable(file, "curves", path);
        zoo.attachments = readAttachments(file, path);
        zoo.validate(path);
        return zoo;
    });
}

} // namespace

struct ZooWeightReader::Impl
{
    std::string path;
    std::string architecture;
    H5::H5File file;
    H5::DataSet dataset;
    hsize_t dims[2] = {0, 0};
};

ZooWeightReader::ZooWeightReader(const std::string &path, const std::string &architecture, size_t cacheBytes)
    : d(std::make_unique<Impl>())
{
    d->path = path;
    d->architecture = architecture;
    readNamingFile(path, [&] {
        d->file = openFormatted(path, FileKind::Zoo);
        const std::string weights = "architectures/" + architecture + "/weights";
        if (!d->file.nameExists("architectures/" + architecture) || !d->file.nameExists(weights) ||
            d->file.childObjType(weights) != H5O_TYPE_DATASET)
            throw FormatError(path, "no weights of architecture '" + architecture + "'");
        H5::DSetAccPropList access;
        access.setChunkCache(10007, cacheBytes, 0.75); // keep decompressed chunks: rows are read one by one
        d->dataset = d->file.openDataSet(weights, access);
        const std::vector<hsize_t> extent = checkedExtent(d->dataset, 2, sizeof(float), path);
        d->dims[0] = extent[0];
        d->dims[1] = extent[1];
    });
}

ZooWeightReader::~ZooWeightReader() = default;

int64_t ZooWeightReader::rows() const { return int64_t(d->dims[0]); }
int64_t ZooWeightReader::cols() const { return int64_t(d->dims[1]); }

void ZooWeightReader::read(int64_t firstRow, int64_t count, float *out)
{
    if (firstRow < 0 || count < 0 || firstRow + count > rows())
        throw UsageError("rows " + std::to_string(firstRow) + ".." + std::to_string(firstRow + count) +
                         " are outside the " + std::to_string(rows()) + " rows of '" + d->architecture + "'");
    if (count == 0)
        return;
    try {
        H5::DataSpace fileSpace = d->dataset.getSpace();
        const hsize_t offset[2] = {hsize_t(firstRow), 0};
        const hsize_t extent[2] = {hsize_t(count), d->dims[1]};
        fileSpace.selectHyperslab(H5S_SELECT_SET, extent, offset);
        H5::DataSpace memorySpace(2, extent);
        d->dataset.read(out, H5::PredType::NATIVE_FLOAT, memorySpace, fileSpace);
    } catch (const H5::Exception &error) {
        throw FormatError(d->path, "reading weights failed: " + error.getDetailMsg());
    }
}

void ZooWeightReader::readRows(const std::vector<int64_t> &rows, float *out)
{
    for (size_t i = 0; i < rows.size();) {
        size_t run = 1;
        while (i + run < rows.size() && rows[i + run] == rows[i] + int64_t(run))
            ++run;
        read(rows[i], int64_t(run), out + i * size_t(cols()));
        i += run;
    }
}

WeightMatrix ZooStore::readWeights(const std::string &path, const std::string &architecture, int64_t firstRow,
                                   int64_t count)
{
    ZooWeightReader reader(path, architecture);
    if (count < 0)
        count = reader.rows() - firstRow;
    WeightMatrix matrix;
    matrix.rows = count;
    matrix.cols = reader.cols();
    matrix.values.resize(size_t(std::max<int64_t>(count, 0) * matrix.cols));
    reader.read(firstRow, count, matrix.values.data());
    return matrix;
}

bool ZooStore::isZooFile(const std::string &path)
{
    return detectFileKind(path) == FileKind::Zoo;
}

} // namespace wse
