#include "sane/embeddings.h"

#include "common/atomicfile.h"
#include "common/error.h"
#include "common/filekind.h"
#include "common/isolatedread.h"
#include "common/text.h"
#include "common/textfile.h"
#include "zoo/hdf5io.h"
#include "zoo/hdf5output.h"

#include <filesystem>
#include <sstream>
#include <iomanip>

namespace wse {

using namespace hdf5;

void Embeddings::writeTo(H5::Group &group) const
{
    writeStringAttribute(group, "format", FormatName);
    writeIntAttribute(group, "format_version", FormatVersion);
    writeStringAttribute(group, "encoder_id", encoderId);
    writeStringAttribute(group, "encoder_path", encoderPath);
    writeStringAttribute(group, "source", source);
    writeStringAttribute(group, "mode", mode);
    writeTable(group, "rows", rows);
    const hsize_t shape[2] = {hsize_t(count()), hsize_t(dims)};
    H5::DataSet dataset = group.createDataSet("embeddings", H5::PredType::IEEE_F32LE, H5::DataSpace(2, shape));
    if (!values.empty())
        dataset.write(values.data(), H5::PredType::NATIVE_FLOAT);
}

Embeddings Embeddings::readFrom(const H5::Group &group, const std::string &path)
{
    requireFormat(group, FileKind::Embeddings, path);
    Embeddings e;
    e.encoderId = readStringAttribute(group, "encoder_id");
    e.encoderPath = readStringAttribute(group, "encoder_path");
    e.source = readStringAttribute(group, "source");
    e.mode = readStringAttribute(group, "mode");
    e.rows = readTable(group, "rows", path);
    int64_t cols = 0;
    e.values = readFloatMatrix(group, "embeddings", path, cols);
    e.dims = cols;
    const std::string folder = group.getObjName() == "/" ? "/" : group.getObjName() + "/";
    if (cols > 0 && int64_t(e.values.size()) / cols != e.rows.rowCount())
        throw FormatError(path, folder + "embeddings: " + std::to_string(int64_t(e.values.size()) / cols) +
                                    " rows, but " + folder + "rows has " + std::to_string(e.rows.rowCount()));
    return e;
}

void Embeddings::write(const std::string &path) const
{
    if (!endsWith(path, ".csv")) {
        writeFileAtomically(path, [&](H5::H5File &h5) { writeTo(h5); });
        return;
    }
    std::ostringstream out;
    for (const Column &column : rows.columns())
        out << csvField(column.name()) << ",";
    for (int64_t c = 0; c < dims; ++c)
        out << "z" << c << (c + 1 < dims ? "," : "\n");
    out << std::setprecision(9);
    for (int64_t r = 0; r < count(); ++r) {
        for (const Column &column : rows.columns())
            out << csvField(column.displayValue(r)) << ",";
        for (int64_t c = 0; c < dims; ++c)
            out << row(r)[c] << (c + 1 < dims ? "," : "\n");
    }
    AtomicFile file(path);
    file.write(out.str());
    file.commit();
}

namespace {
Embeddings readEmbeddingsFile(const std::string &path);
} // namespace

Embeddings Embeddings::read(const std::string &path)
{
    tryReadInChildProcess(path, [&] { readEmbeddingsFile(path); });
    return readEmbeddingsFile(path);
}

namespace {

Embeddings readEmbeddingsFile(const std::string &path)
{
    return readNamingFile(path, [&] { return Embeddings::readFrom(openFormatted(path, FileKind::Embeddings), path); });
}

} // namespace

} // namespace wse
