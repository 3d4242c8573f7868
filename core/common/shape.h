#pragma once
// Tensor shape helpers shared by architectures and checkpoint tensors.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

inline int64_t shapeNumel(const std::vector<int64_t> &shape)
{
    int64_t count = 1;
    for (int64_t dim : shape)
        count *= dim;
    return count;
}

// "[8, 1, 5, 5]"
inline std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

} // namespace wse
