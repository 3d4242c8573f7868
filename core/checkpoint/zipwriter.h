#pragma once
// Writes a zip archive of stored (uncompressed) entries, each entry's data aligned to 64 bytes
// as PyTorch's own writer does (so readers can map tensors in place).
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

class ZipWriter
{
public:
    void add(const std::string &name, const std::vector<uint8_t> &data);
    // Appends the central directory and returns the whole archive.
    std::vector<uint8_t> finish();

private:
    struct Entry
    {
        std::string name;
        uint32_t crc = 0;
        uint64_t size = 0;
        uint64_t offset = 0;
    };
    std::vector<uint8_t> mBytes;
    std::vector<Entry> mEntries;
};

} // namespace wse
