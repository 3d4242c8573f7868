#include "zoo/architecture.h"

#include "common/error.h"

namespace wse {

int64_t TensorSpec::numel() const
{
    int64_t count = 1;
    for (int64_t dim : shape)
        count *= dim;
    return count;
}

std::string TensorSpec::shapeText() const
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

int64_t Architecture::numel() const
{
    int64_t count = 0;
    for (const TensorSpec &tensor : tensors)
        count += tensor.numel();
    return count;
}

int64_t Architecture::offsetOf(const std::string &key) const
{
    int64_t offset = 0;
    for (const TensorSpec &tensor : tensors) {
        if (tensor.key == key)
            return offset;
        offset += tensor.numel();
    }
    throw UsageError("architecture '" + name + "' has no tensor '" + key + "'");
}

bool Architecture::sameLayout(const Architecture &other) const
{
    if (tensors.size() != other.tensors.size())
        return false;
    for (size_t i = 0; i < tensors.size(); ++i)
        if (tensors[i].key != other.tensors[i].key || tensors[i].shape != other.tensors[i].shape)
            return false;
    return true;
}

Architecture cnnSmall(int inputChannels, bool withDropout)
{
    // Module indices of the five parametrised layers in the official ModuleList (model-zoo-spec §2.1).
    const int plain[5] = {0, 3, 6, 9, 11};
    const int dropout[5] = {0, 4, 8, 11, 14};
    const int *index = withDropout ? dropout : plain;
    const std::vector<std::vector<int64_t>> weightShapes = {
        {8, inputChannels, 5, 5}, {6, 8, 5, 5}, {4, 6, 2, 2}, {20, 36}, {10, 20}};

    Architecture arch;
    arch.name = inputChannels == 1 ? "cnn-s" : "cnn-s-" + std::to_string(inputChannels) + "ch";
    if (withDropout)
        arch.name += "-dropout"; // same shapes, shifted key indices
    arch.description = "CNN-s (Model Zoos), " + std::to_string(inputChannels) + "x28x28 input, 10 classes";
    for (int layer = 0; layer < 5; ++layer) {
        const std::string prefix = "module_list." + std::to_string(index[layer]);
        arch.tensors.push_back({prefix + ".weight", weightShapes[size_t(layer)]});
        arch.tensors.push_back({prefix + ".bias", {weightShapes[size_t(layer)][0]}});
    }
    return arch;
}

} // namespace wse
