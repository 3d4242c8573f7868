#include "data/idxreader.h"

#include "common/error.h"
#include "common/filekind.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <zlib.h>

namespace wse {

namespace {

// gzopen reads uncompressed files transparently, so one reader serves both.
std::vector<uint8_t> readWholeFile(const std::string &path)
{
    requireRegularFile(path);
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        throw IoError(path, std::string("cannot open: ") + std::strerror(errno));
    std::vector<uint8_t> bytes;
    uint8_t buffer[1 << 16];
    for (;;) {
        const int got = gzread(file, buffer, sizeof buffer);
        if (got < 0) {
            int code = 0;
            const std::string message = gzerror(file, &code);
            gzclose(file);
            throw FormatError(path, "corrupt compressed data: " + message);
        }
        if (got == 0)
            break;
        bytes.insert(bytes.end(), buffer, buffer + got);
    }
    gzclose(file);
    return bytes;
}

uint32_t bigEndian32(const std::vector<uint8_t> &bytes, size_t offset)
{
    return uint32_t(bytes[offset]) << 24 | uint32_t(bytes[offset + 1]) << 16 | uint32_t(bytes[offset + 2]) << 8 |
           uint32_t(bytes[offset + 3]);
}

} // namespace

IdxImages readIdxImages(const std::string &path)
{
    const std::vector<uint8_t> bytes = readWholeFile(path);
    if (bytes.size() < 16 || bigEndian32(bytes, 0) != 0x00000803)
        throw FormatError(path, "not an IDX image file (expected magic 0x00000803, unsigned byte, 3 dimensions)");
    IdxImages images;
    images.count = bigEndian32(bytes, 4);
    images.rows = bigEndian32(bytes, 8);
    images.cols = bigEndian32(bytes, 12);
    const size_t expected = 16 + size_t(images.count * images.rows * images.cols);
    if (bytes.size() != expected)
        throw FormatError(path, "IDX image file has " + std::to_string(bytes.size()) + " bytes, its header promises " +
                                    std::to_string(expected) + " (truncated download?)");
    images.pixels.assign(bytes.begin() + 16, bytes.end());
    return images;
}

std::vector<int64_t> readIdxLabels(const std::string &path)
{
    const std::vector<uint8_t> bytes = readWholeFile(path);
    if (bytes.size() < 8 || bigEndian32(bytes, 0) != 0x00000801)
        throw FormatError(path, "not an IDX label file (expected magic 0x00000801, unsigned byte, 1 dimension)");
    const size_t count = bigEndian32(bytes, 4);
    if (bytes.size() != 8 + count)
        throw FormatError(path, "IDX label file has " + std::to_string(bytes.size()) + " bytes, its header promises " +
                                    std::to_string(8 + count));
    return std::vector<int64_t>(bytes.begin() + 8, bytes.end());
}

} // namespace wse
