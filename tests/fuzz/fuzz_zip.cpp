// libFuzzer target: the zip reader, listing and reading every entry.
#include "checkpoint/ziparchive.h"
#include "common/error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        const wse::ZipArchive archive(std::vector<uint8_t>(data, data + size), "fuzz.zip");
        for (const std::string &name : archive.names()) {
            try {
                archive.read(name);
            } catch (const wse::Error &) {
            }
        }
    } catch (const wse::Error &) {
    }
    return 0;
}
