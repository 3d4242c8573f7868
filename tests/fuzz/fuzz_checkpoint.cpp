// libFuzzer target: a whole .pt file through the zip reader, the pickle machine and the tensor
// materialisation, or a safetensors file (told apart by content) through its header's checks.
// Any input must give a StateDict or a wse::Error, never a crash or a sanitizer report.
#include "checkpoint/checkpointfile.h"
#include "common/error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        wse::readCheckpointBytes(std::vector<uint8_t>(data, data + size), "fuzz.pt");
    } catch (const wse::Error &) {
    }
    return 0;
}
