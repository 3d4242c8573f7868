// libFuzzer target: the restricted pickle machine on raw data.pkl bytes.
#include "checkpoint/pickle.h"
#include "common/error.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        wse::unpickle(std::vector<uint8_t>(data, data + size), "data.pkl");
    } catch (const wse::Error &) {
    }
    return 0;
}
