#include "checkpoint/zipwriter.h"

#include "common/error.h"

#include <zlib.h>

namespace wse {

namespace {

void put16(std::vector<uint8_t> &b, uint32_t v) { b.push_back(uint8_t(v)); b.push_back(uint8_t(v >> 8)); }
void put32(std::vector<uint8_t> &b, uint32_t v) { put16(b, v & 0xFFFF); put16(b, v >> 16); }

constexpr uint64_t Alignment = 64;

} // namespace

void ZipWriter::add(const std::string &name, const std::vector<uint8_t> &data)
{
    if (data.size() >= 0xFFFFFFFFull || mBytes.size() >= 0xFFFFFFFFull)
        throw UsageError("checkpoint larger than 4 GiB: zip64 writing is not supported");
    Entry entry;
    entry.name = name;
    entry.size = data.size();
    entry.offset = mBytes.size();
    entry.crc = uint32_t(crc32_z(crc32(0L, Z_NULL, 0), data.data(), data.size()));

    // Padding extra field ("FB", as PyTorch) so the data starts on a 64-byte boundary.
    const uint64_t headerEnd = mBytes.size() + 30 + name.size();
    uint64_t padding = (Alignment - (headerEnd + 4) % Alignment) % Alignment;

    put32(mBytes, 0x04034b50);
    put16(mBytes, 20);            // version needed
    put16(mBytes, 0);             // flags
    put16(mBytes, 0);             // stored
    put16(mBytes, 0);             // time
    put16(mBytes, 0x21);          // date 1980-01-01
    put32(mBytes, entry.crc);
    put32(mBytes, uint32_t(entry.size));
    put32(mBytes, uint32_t(entry.size));
    put16(mBytes, uint32_t(name.size()));
    put16(mBytes, uint32_t(4 + padding));
    mBytes.insert(mBytes.end(), name.begin(), name.end());
    put16(mBytes, 0x4246);        // "FB"
    put16(mBytes, uint32_t(padding));
    mBytes.insert(mBytes.end(), size_t(padding), uint8_t('Z'));
    mBytes.insert(mBytes.end(), data.begin(), data.end());
    mEntries.push_back(std::move(entry));
}

std::vector<uint8_t> ZipWriter::finish()
{
    const uint64_t directoryOffset = mBytes.size();
    for (const Entry &entry : mEntries) {
        put32(mBytes, 0x02014b50);
        put16(mBytes, 20);        // version made by
        put16(mBytes, 20);        // version needed
        put16(mBytes, 0);
        put16(mBytes, 0);
        put16(mBytes, 0);
        put16(mBytes, 0x21);
        put32(mBytes, entry.crc);
        put32(mBytes, uint32_t(entry.size));
        put32(mBytes, uint32_t(entry.size));
        put16(mBytes, uint32_t(entry.name.size()));
        put16(mBytes, 0);         // extra
        put16(mBytes, 0);         // comment
        put16(mBytes, 0);         // disk
        put16(mBytes, 0);         // internal attributes
        put32(mBytes, 0);         // external attributes
        put32(mBytes, uint32_t(entry.offset));
        mBytes.insert(mBytes.end(), entry.name.begin(), entry.name.end());
    }
    const uint64_t directorySize = mBytes.size() - directoryOffset;
    put32(mBytes, 0x06054b50);
    put16(mBytes, 0);
    put16(mBytes, 0);
    put16(mBytes, uint32_t(mEntries.size()));
    put16(mBytes, uint32_t(mEntries.size()));
    put32(mBytes, uint32_t(directorySize));
    put32(mBytes, uint32_t(directoryOffset));
    put16(mBytes, 0);
    return std::move(mBytes);
}

} // namespace wse
