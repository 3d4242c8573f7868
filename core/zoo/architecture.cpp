#include "zoo/architecture.h"

#include "common/error.h"
#include "common/shape.h"

namespace wse {

int64_t TensorSpec::numel() const { return shapeNumel(shape); }

std::string TensorSpec::shapeText() const { return wse::shapeText(shape); }

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

std::vector<NetworkLayer> NetworkSpec::modules(bool withDropout) const
{
    std::vector<NetworkLayer> present;
    for (const NetworkLayer &layer : layers)
        if (layer.kind != NetworkLayer::Kind::Dropout || withDropout || dropoutAlways)
            present.push_back(layer);
    return present;
}

Architecture NetworkSpec::architecture(bool withDropout) const
{
    Architecture arch;
    const bool shifted = withDropout && !dropoutAlways;
    arch.name = family + (family == "mlp" ? "-" + std::to_string(channels) : std::string()) +
                (channels != 1 && family != "mlp" ? "-" + std::to_string(channels) + "ch" : std::string()) +
                (shifted ? "-dropout" : "");
    int64_t c = channels, h = height, w = width, features = 0;
    std::string layout;
    const std::vector<NetworkLayer> present = modules(withDropout);
    for (size_t index = 0; index < present.size(); ++index) {
        const NetworkLayer &layer = present[index];
        const std::string prefix = "module_list." + std::to_string(index);
        switch (layer.kind) {
        case NetworkLayer::Kind::Conv:
            arch.tensors.push_back({prefix + ".weight", {layer.outputs, c, layer.kernel, layer.kernel}});
            arch.tensors.push_back({prefix + ".bias", {layer.outputs}});
            layout += (layout.empty() ? "conv " : "-") + std::to_string(layer.outputs);
            c = layer.outputs;
            h -= layer.kernel - 1;
            w -= layer.kernel - 1;
            break;
        case NetworkLayer::Kind::MaxPool:
            h /= layer.kernel;
            w /= layer.kernel;
            break;
        case NetworkLayer::Kind::Flatten:
            features = c * h * w;
            break;
        case NetworkLayer::Kind::Linear: {
            const int64_t in = features ? features : c;
            arch.tensors.push_back({prefix + ".weight", {layer.outputs, in}});
            arch.tensors.push_back({prefix + ".bias", {layer.outputs}});
            layout += std::string(layout.find("fc") == std::string::npos ? (layout.empty() ? "fc " : ", fc ") : "-") +
                      std::to_string(in) + (index + 1 == present.size() ? "-" + std::to_string(layer.outputs) : "");
            features = layer.outputs;
            break;
        }
        default:
            break;
        }
    }
    const std::string input = family == "mlp" ? std::to_string(channels) + " features"
                                              : std::to_string(channels) + "x" + std::to_string(height) + "x" +
                                                    std::to_string(width) + " input";
    const std::string title = family == "cnn-s" ? "CNN-s (Model Zoos)" : family == "cnn-l" ? "CNN-l (Model Zoos)" : "MLP";
    arch.description = title + ", " + input + ", " + layout + ", " + std::to_string(classes) + " classes";
    return arch;
}

NetworkSpec cnnSmallSpec(int inputChannels)
{
    using K = NetworkLayer::Kind;
    NetworkSpec spec;
    spec.family = "cnn-s";
    spec.channels = inputChannels;
    spec.height = spec.width = 28;
    spec.layers = {{K::Conv, 8, 5},     {K::MaxPool, 0, 2}, {K::Activation}, {K::Dropout}, {K::Conv, 6, 5},
                   {K::MaxPool, 0, 2},  {K::Activation},    {K::Dropout},    {K::Conv, 4, 2}, {K::Activation},
                   {K::Flatten},        {K::Linear, 20},    {K::Activation}, {K::Dropout},  {K::Linear, 10}};
    return spec;
}

NetworkSpec cnnLargeSpec(int inputChannels)
{
    using K = NetworkLayer::Kind;
    NetworkSpec spec;
    spec.family = "cnn-l";
    spec.channels = inputChannels;
    spec.height = spec.width = 32;
    spec.dropoutAlways = true;
    spec.layers = {{K::Conv, 16, 3}, {K::MaxPool, 0, 2}, {K::Activation}, {K::Dropout}, {K::Conv, 32, 3},
                   {K::MaxPool, 0, 2}, {K::Activation},  {K::Dropout},    {K::Conv, 15, 3}, {K::MaxPool, 0, 2},
                   {K::Activation},  {K::Dropout},       {K::Flatten},    {K::Linear, 20}, {K::Activation},
                   {K::Dropout},     {K::Linear, 10}};
    return spec;
}

NetworkSpec mlpSpec(int64_t features, const std::vector<int64_t> &hidden, int64_t classes)
{
    using K = NetworkLayer::Kind;
    NetworkSpec spec;
    spec.family = "mlp";
    spec.channels = features;
    spec.classes = classes;
    for (int64_t width : hidden)
        spec.layers.insert(spec.layers.end(), {{K::Linear, width}, {K::Activation}, {K::Dropout}});
    spec.layers.push_back({K::Linear, classes});
    return spec;
}

std::vector<std::string> knownNetworkFamilies() { return {"cnn-s", "cnn-l", "mlp"}; }

NetworkSpec networkSpec(const std::string &family, int64_t channels, int64_t height, int64_t width, int64_t classes)
{
    if (family == "mlp")
        return mlpSpec(channels * height * width, {32, 16}, classes);
    NetworkSpec spec;
    if (family == "cnn-s")
        spec = cnnSmallSpec(int(channels));
    else if (family == "cnn-l")
        spec = cnnLargeSpec(int(channels));
    else
        throw UsageError("unknown architecture '" + family + "' (known: cnn-s, cnn-l, mlp)");
    if (height != spec.height || width != spec.width)
        throw UsageError(family + " needs " + std::to_string(spec.height) + "x" + std::to_string(spec.width) +
                         " images, the dataset has " + std::to_string(height) + "x" + std::to_string(width));
    if (classes != 10)
        throw UsageError(family + " has 10 outputs (as in the official zoos); the dataset has " +
                         std::to_string(classes) + " classes");
    return spec;
}

Architecture cnnSmall(int inputChannels, bool withDropout)
{
    return cnnSmallSpec(inputChannels).architecture(withDropout);
}

} // namespace wse
