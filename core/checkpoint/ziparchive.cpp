#include "checkpoint/ziparchive.h"

#include "common/error.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace wse {

namespace {

uint16_t read16(const std::vector<uint8_t> &b, uint64_t at) { return uint16_t(b[at] | b[at + 1] << 8); }
uint32_t read32(const std::vector<uint8_t> &b, uint64_t at)
{
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}
uint64_t read64(const std::vector<uint8_t> &b, uint64_t at) { return uint64_t(read32(b, at)) | uint64_t(read32(b, at + 4)) << 32; }

constexpr uint32_t EndOfCentralDirectory = 0x06054b50;
constexpr uint32_t Zip64EndOfCentralDirectory = 0x06064b50;
constexpr uint32_t Zip64Locator = 0x07064b50;
constexpr uint32_t CentralHeader = 0x02014b50;
constexpr uint32_t LocalHeader = 0x04034b50;

} // namespace

ZipArchive::ZipArchive(std::vector<uint8_t> bytes, std::string label)
    : mBytes(std::move(bytes))
    , mLabel(std::move(label))
{
    const uint64_t size = mBytes.size();
    auto need = [&](uint64_t at, uint64_t count, const char *what) {
        if (at > size || count > size - at)
            throw FormatError(mLabel, std::string("corrupt or truncated zip archive (") + what + " beyond the end of the file)");
    };
    if (size < 22)
        throw FormatError(mLabel, "file too short to be a zip archive");
    // The end-of-central-directory record sits in the last 22 + 65535 bytes.
    uint64_t eocd = std::numeric_limits<uint64_t>::max();
    const uint64_t searchStart = size >= 22 + 65535 ? size - 22 - 65535 : 0;
    for (uint64_t at = size - 22 + 1; at-- > searchStart;)
        if (read32(mBytes, at) == EndOfCentralDirectory) {
            eocd = at;
            break;
        }
    if (eocd == std::numeric_limits<uint64_t>::max())
        throw FormatError(mLabel, "not a zip archive or truncated (no end-of-central-directory record)");

    uint64_t count = read16(mBytes, eocd + 10);
    uint64_t directorySize = read32(mBytes, eocd + 12);
    uint64_t directoryOffset = read32(mBytes, eocd + 16);
    if ((count == 0xFFFF || directoryOffset == 0xFFFFFFFF || directorySize == 0xFFFFFFFF) && eocd >= 20 &&
        read32(mBytes, eocd - 20) == Zip64Locator) {
        const uint64_t zip64 = read64(mBytes, eocd - 20 + 8);
        need(zip64, 56, "zip64 directory record");
        if (read32(mBytes, zip64) != Zip64EndOfCentralDirectory)
            throw FormatError(mLabel, "corrupt zip64 end-of-central-directory record");
        count = read64(mBytes, zip64 + 32);
        directorySize = read64(mBytes, zip64 + 40);
        directoryOffset = read64(mBytes, zip64 + 48);
    }
    need(directoryOffset, directorySize, "central directory");

    uint64_t at = directoryOffset;
    std::unordered_set<std::string> seen;
    for (uint64_t i = 0; i < count; ++i) {
        need(at, 46, "central directory entry");
        if (read32(mBytes, at) != CentralHeader)
            throw FormatError(mLabel, "corrupt zip central directory (entry " + std::to_string(i) + ")");
        Entry entry;
        entry.method = read16(mBytes, at + 10);
        entry.crc = read32(mBytes, at + 16);
        entry.compressedSize = read32(mBytes, at + 20);
        entry.size = read32(mBytes, at + 24);
        const uint16_t nameLength = read16(mBytes, at + 28);
        const uint16_t extraLength = read16(mBytes, at + 30);
        const uint16_t commentLength = read16(mBytes, at + 32);
        entry.localHeaderOffset = read32(mBytes, at + 42);
        need(at + 46, uint64_t(nameLength) + extraLength + commentLength, "entry name");
        entry.name.assign(reinterpret_cast<const char *>(&mBytes[at + 46]), nameLength);
        // zip64 extra field: the 64-bit values replace those saturated at 0xFFFFFFFF, in order.
        uint64_t extra = at + 46 + nameLength;
        const uint64_t extraEnd = extra + extraLength;
        while (extra + 4 <= extraEnd) {
            const uint16_t id = read16(mBytes, extra), length = read16(mBytes, extra + 2);
            if (extra + 4 + length > extraEnd)
                break;
            if (id == 0x0001) {
                uint64_t field = extra + 4;
                auto take = [&](uint64_t &value) {
                    if (value == 0xFFFFFFFF && field + 8 <= extra + 4 + length) {
                        value = read64(mBytes, field);
                        field += 8;
                    }
                };
                take(entry.size);
                take(entry.compressedSize);
                take(entry.localHeaderOffset);
            }
            extra += 4 + uint64_t(length);
        }
        at += 46 + uint64_t(nameLength) + extraLength + commentLength;
        if (!seen.insert(entry.name).second)
            throw FormatError(mLabel, "the archive holds two entries named '" + entry.name +
                                          "': PyTorch reads the last one, so what it loads cannot be vetted; refused");
        mNames.push_back(entry.name);
        mEntries.push_back(std::move(entry));
    }
}

bool ZipArchive::contains(const std::string &name) const
{
    return std::find(mNames.begin(), mNames.end(), name) != mNames.end();
}

const ZipArchive::Entry &ZipArchive::entry(const std::string &name) const
{
    for (const Entry &e : mEntries)
        if (e.name == name)
            return e;
    throw FormatError(mLabel, "archive has no entry '" + name + "'");
}

std::vector<uint8_t> ZipArchive::read(const std::string &name) const
{
    const Entry &e = entry(name);
    const uint64_t size = mBytes.size();
    const uint64_t header = e.localHeaderOffset;
    if (header > size || size - header < 30 || read32(mBytes, header) != LocalHeader)
        throw FormatError(mLabel, "corrupt local header of '" + name + "'");
    const uint64_t dataStart = header + 30 + read16(mBytes, header + 26) + read16(mBytes, header + 28);
    if (dataStart > size || e.compressedSize > size - dataStart)
        throw FormatError(mLabel, "entry '" + name + "' is truncated (archive cut short?)");
    if (e.size > (uint64_t(1) << 40))
        throw FormatError(mLabel, "entry '" + name + "' claims an implausible size");

    std::vector<uint8_t> out;
    if (e.method == 0) {
        if (e.size != e.compressedSize)
            throw FormatError(mLabel, "stored entry '" + name + "' has inconsistent sizes");
        out.assign(mBytes.begin() + long(dataStart), mBytes.begin() + long(dataStart + e.size));
    } else if (e.method == 8) {
        // Deflate expands at most ~1032:1; a larger claimed size is corrupt (and would make us
        // allocate memory the data cannot fill).
        if (e.size > e.compressedSize * 1032 + 1024)
            throw FormatError(mLabel, "entry '" + name + "' claims an uncompressed size its data cannot have");
        out.resize(size_t(e.size));
        z_stream stream{};
        if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
            throw FormatError(mLabel, "cannot initialise zlib");
        stream.next_in = const_cast<Bytef *>(&mBytes[dataStart]);
        stream.avail_in = uInt(std::min<uint64_t>(e.compressedSize, std::numeric_limits<uInt>::max()));
        stream.next_out = out.data();
        stream.avail_out = uInt(out.size());
        const int result = inflate(&stream, Z_FINISH);
        const uint64_t produced = stream.total_out;
        inflateEnd(&stream);
        if (result != Z_STREAM_END || produced != e.size)
            throw FormatError(mLabel, "entry '" + name + "' has corrupt compressed data");
    } else {
        throw FormatError(mLabel, "entry '" + name + "' uses unsupported zip compression method " + std::to_string(e.method));
    }
    const uLong crc = crc32_z(crc32(0L, Z_NULL, 0), out.data(), out.size());
    if (uint32_t(crc) != e.crc)
        throw FormatError(mLabel, "CRC mismatch in entry '" + name + "' (corrupt file)");
    return out;
}

} // namespace wse
