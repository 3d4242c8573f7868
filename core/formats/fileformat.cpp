#include "formats/fileformat.h"

#include "checkpoint/safetensors.h"
#include "common/error.h"
#include "sane/embeddings.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace wse {

namespace fs = std::filesystem;

namespace {

// Our encoder's marker (core/sane/encoderfile.cpp); torch and our writer put data.pkl, which
// holds it, first in the archive.
constexpr const char *EncoderMarker = "weight-space-explorer sane encoder";
constexpr size_t HeadBytes = 4 << 20;

std::vector<FileFormat> makeFormats()
{
    const std::vector<std::string> hdf5 = {"h5", "hdf5"};
    return {
        {FileKind::Zoo, "zoo", "zoo", "Zoos", hdf5, false, ZooStore::FormatName, ZooStore::FormatVersion},
        {FileKind::Workspace, "workspace", "workspace", "Workspaces", hdf5, false, Workspace::FormatName,
         Workspace::FormatVersion},
        {FileKind::Embeddings, "embeddings", "embeddings file", "Embeddings", hdf5, false, Embeddings::FormatName,
         Embeddings::FormatVersion},
        {FileKind::Encoder, "encoder", "SANE encoder", "SANE encoders", {"pt"}, false, "", 1},
        {FileKind::SaneRun, "sane-run", "SANE training folder", "SANE training folders", {}, true, "", 0},
        {FileKind::OfficialZoo, "official-zoo", "official Model Zoos folder", "Official Model Zoos folders", {}, true, "", 0},
        {FileKind::Checkpoint, "checkpoint", "PyTorch checkpoint", "PyTorch checkpoints", {"pt", "pth", "ckpt", "bin", "safetensors"},
         false, "", 0},
    };
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

std::string hdf5FormatAttribute(const std::string &path)
{
    try {
        H5::Exception::dontPrint();
        if (!H5::H5File::isHdf5(path))
            return {};
        const H5::H5File file(path, H5F_ACC_RDONLY);
        if (!file.attrExists("format"))
            return {};
        const H5::Attribute attribute = file.openAttribute("format");
        if (attribute.getTypeClass() != H5T_STRING || attribute.getSpace().getSimpleExtentNpoints() != 1)
            return {};
        std::string value;
        attribute.read(attribute.getStrType(), value);
        return value;
    } catch (const H5::Exception &) {
        return {};
    }
}

FileKind detectFolder(const fs::path &folder)
{
    std::error_code error;
    if (fs::is_regular_file(folder / "log.json", error) || fs::is_regular_file(folder / "training_state.pt", error) ||
        (fs::is_regular_file(folder / "encoder.pt", error) && fs::is_regular_file(folder / "params.json", error)))
        return FileKind::SaneRun;
    if (fs::is_regular_file(folder / "params.json", error))
        return FileKind::OfficialZoo; // one model folder of a zoo
    for (fs::directory_iterator entry(folder, error), end; !error && entry != end; entry.increment(error))
        if (entry->is_directory(error) && fs::is_regular_file(entry->path() / "params.json", error))
            return FileKind::OfficialZoo;
    return FileKind::Unknown;
}

FileKind detectCheckpoint(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::string head(HeadBytes, '\0');
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(size_t(std::max<std::streamsize>(in.gcount(), 0)));
    if (looksLikeSafetensors(reinterpret_cast<const uint8_t *>(head.data()), head.size()))
        return FileKind::Checkpoint;
    const bool zip = head.compare(0, 4, "PK\x03\x04") == 0;
    const bool legacyPickle = head.size() >= 2 && uint8_t(head[0]) == 0x80 && uint8_t(head[1]) <= 5;
    if (!zip && !legacyPickle)
        return FileKind::Unknown;
    return head.find(EncoderMarker) != std::string::npos ? FileKind::Encoder : FileKind::Checkpoint;
}

std::string kindList(const std::vector<FileKind> &kinds)
{
    std::string text;
    for (size_t i = 0; i < kinds.size(); ++i)
        text += (i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ") + withArticle(fileFormat(kinds[i]).name);
    return text;
}

} // namespace

std::string withArticle(const std::string &name)
{
    const bool vowel = !name.empty() && std::string("aeiouAEIOU").find(name[0]) != std::string::npos;
    return (vowel ? "an " : "a ") + name;
}

std::string FileFormat::dialogFilter() const
{
    if (folder)
        return {};
    std::string patterns;
    for (const std::string &extension : extensions)
        patterns += (patterns.empty() ? "*." : " *.") + extension;
    return plural + " (" + patterns + ")";
}

bool FileFormat::hasExtension(const std::string &path) const
{
    const std::string name = lower(fs::path(path).filename().string());
    return std::any_of(extensions.begin(), extensions.end(), [&](const std::string &extension) {
        return name.size() > extension.size() && name.compare(name.size() - extension.size() - 1, std::string::npos,
                                                              "." + extension) == 0;
    });
}

const std::vector<FileFormat> &fileFormats()
{
    static const std::vector<FileFormat> formats = makeFormats();
    return formats;
}

const FileFormat &fileFormat(FileKind kind)
{
    for (const FileFormat &format : fileFormats())
        if (format.kind == kind)
            return format;
    static const FileFormat unknown{FileKind::Unknown, "unknown", "file of an unknown kind", "Files", {}, false, "", 0};
    return unknown;
}

FileKind fileKindFromId(const std::string &id)
{
    for (const FileFormat &format : fileFormats())
        if (format.id == id)
            return format.kind;
    return FileKind::Unknown;
}

FileKind detectFileKind(const std::string &path)
{
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error)
        return FileKind::Unknown;
    if (fs::is_directory(status))
        return detectFolder(path);
    if (!fs::is_regular_file(status))
        return FileKind::Unknown;
    const std::string format = hdf5FormatAttribute(path);
    if (!format.empty()) {
        for (const FileFormat &candidate : fileFormats())
            if (!candidate.hdf5Format.empty() && candidate.hdf5Format == format)
                return candidate.kind;
        return FileKind::Unknown;
    }
    return detectCheckpoint(path);
}

FileKind requireFileKind(const std::string &path, const std::vector<FileKind> &accepted)
{
    std::error_code error;
    if (!fs::exists(path, error))
        throw IoError(path, "no such file or folder");
    const FileKind kind = detectFileKind(path);
    if (std::find(accepted.begin(), accepted.end(), kind) != accepted.end())
        return kind;
    if (kind == FileKind::Unknown)
        throw FormatError(path, "is not " + kindList(accepted));
    throw FormatError(path, "is " + withArticle(fileFormat(kind).name) + ", not " + kindList(accepted));
}

std::string dialogFilter(const std::vector<FileKind> &kinds)
{
    std::vector<std::string> filters, patterns;
    std::string names;
    for (size_t i = 0; i < kinds.size(); ++i) {
        const FileFormat &format = fileFormat(kinds[i]);
        if (format.folder)
            continue;
        filters.push_back(format.dialogFilter());
        for (const std::string &extension : format.extensions)
            if (std::find(patterns.begin(), patterns.end(), "*." + extension) == patterns.end())
                patterns.push_back("*." + extension);
        names += (names.empty() ? format.plural : (i + 1 == kinds.size() ? " and " : ", ") + lower(format.plural));
    }
    std::string text;
    if (filters.size() > 1) {
        text = names + " (";
        for (size_t i = 0; i < patterns.size(); ++i)
            text += (i ? " " : "") + patterns[i];
        text += ");;";
    }
    for (const std::string &filter : filters)
        text += filter + ";;";
    return text + "All files (*)";
}

} // namespace wse
