// libFuzzer target: the filter expression language (from --filter, --anchors, sampling configurations
// and bookmarks stored in workspaces), parsed and evaluated over a small table.
#include "analysis/filterexpression.h"
#include "common/error.h"
#include "zoo/table.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const wse::Column epoch = wse::Column::numbers("epoch", {0, 1, 2, 3});
    static const wse::Column accuracy = wse::Column::numbers("test_acc", {0.1, 0.5, 0.7, std::nan("")});
    static const wse::Column activation = wse::Column::texts("activation", {"relu", "tanh", "gelu", ""});
    try {
        const wse::FilterExpression filter =
            wse::FilterExpression::parse(std::string(reinterpret_cast<const char *>(data), size));
        filter.evaluate(
            [](const std::string &name) -> const wse::Column * {
                return name == "epoch" ? &epoch : name == "test_acc" ? &accuracy : name == "activation" ? &activation : nullptr;
            },
            4);
    } catch (const wse::Error &) {
    }
    return 0;
}
