#pragma once
// Reads entries of a zip archive held in memory (PyTorch's checkpoint container): stored or
// deflated entries, zip64 sizes and offsets, CRC-checked. Every bound is checked: a corrupt or
// truncated archive gives a FormatError, never a read outside the buffer.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

class ZipArchive
{
public:
    // `label` names the archive in messages (usually its path). Throws FormatError.
    ZipArchive(std::vector<uint8_t> bytes, std::string label);

    const std::vector<std::string> &names() const { return mNames; }
    bool contains(const std::string &name) const;
    uint64_t byteSize() const { return mBytes.size(); } // the whole archive's
    // The entry's uncompressed bytes; throws FormatError (missing, corrupt, CRC mismatch). Several
    // threads may read at once.
    std::vector<uint8_t> read(const std::string &name) const;

private:
    struct Entry
    {
        std::string name;
        uint16_t method = 0;
        uint32_t crc = 0;
        uint64_t compressedSize = 0;
        uint64_t size = 0;
        uint64_t localHeaderOffset = 0;
    };
    const Entry &entry(const std::string &name) const;

    std::vector<uint8_t> mBytes;
    std::string mLabel;
    std::vector<Entry> mEntries;
    std::vector<std::string> mNames;
};

} // namespace wse
