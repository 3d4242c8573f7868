#include "zoo/architecture.h"

#include "common/error.h"
#include "common/numbertext.h"
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

namespace {
void addBatchNorm(Architecture &arch, const std::string &prefix, int64_t channels)
{
    for (const char *name : {".weight", ".bias", ".running_mean", ".running_var"})
        arch.tensors.push_back({prefix + name, {channels}});
}

} // namespace

Architecture NetworkSpec::architecture(bool withDropout) const
{
    Architecture arch;
    const bool shifted = withDropout && !dropoutAlways;
    arch.name = family + (family == "mlp" ? "-" + std::to_string(channels) : std::string()) +
                (channels != (family == "resnet-18" ? 3 : 1) && family != "mlp" ? "-" + std::to_string(channels) + "ch"
                                                                                : std::string()) +
                (family == "resnet-18" && classes != 10 ? "-" + std::to_string(classes) : std::string()) +
                (shifted ? "-dropout" : "");
    int64_t c = channels, h = height, w = width, features = 0, blockInput = 0;
    std::string layout;
    const std::vector<NetworkLayer> present = modules(withDropout);
    for (size_t index = 0; index < present.size(); ++index) {
        const NetworkLayer &layer = present[index];
        const std::string prefix = layer.name.empty() ? "module_list." + std::to_string(index) : layer.name;
        switch (layer.kind) {
        case NetworkLayer::Kind::Conv:
            arch.tensors.push_back({prefix + ".weight", {layer.outputs, c, layer.kernel, layer.kernel}});
            if (layer.bias)
                arch.tensors.push_back({prefix + ".bias", {layer.outputs}});
            if (layer.name.empty())
                layout += (layout.empty() ? "conv " : "-") + std::to_string(layer.outputs);
            c = layer.outputs;
            h = (h + 2 * layer.padding - layer.kernel) / layer.stride + 1;
            w = (w + 2 * layer.padding - layer.kernel) / layer.stride + 1;
            break;
        case NetworkLayer::Kind::BatchNorm:
            addBatchNorm(arch, prefix, c);
            break;
        case NetworkLayer::Kind::BlockBegin:
            blockInput = c;
            break;
        case NetworkLayer::Kind::BlockEnd:
            if (layer.outputs > 0) {
                arch.tensors.push_back({prefix + ".downsample.0.weight", {layer.outputs, blockInput, 1, 1}});
                addBatchNorm(arch, prefix + ".downsample.1", layer.outputs);
            }
            break;
        case NetworkLayer::Kind::MaxPool:
            h /= layer.kernel;
            w /= layer.kernel;
            break;
        case NetworkLayer::Kind::AvgPool:
        case NetworkLayer::Kind::Flatten:
            features = layer.kind == NetworkLayer::Kind::AvgPool ? c : c * h * w;
            break;
        case NetworkLayer::Kind::Linear: {
            const int64_t in = features ? features : c;
            arch.tensors.push_back({prefix + ".weight", {layer.outputs, in}});
            arch.tensors.push_back({prefix + ".bias", {layer.outputs}});
            if (layer.name.empty())
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
    if (family == "resnet-18") {
        int64_t statistics = 0; // running means and variances are buffers, not parameters
        for (const TensorSpec &tensor : arch.tensors)
            statistics += tensor.key.find(".running_") != std::string::npos ? tensor.numel() : 0;
        layout = withThousands(arch.numel() - statistics) + " parameters";
    }
    const std::string title = family == "cnn-s"     ? "CNN-s (Model Zoos)"
                              : family == "cnn-l"   ? "CNN-l (Model Zoos)"
                              : family == "resnet-18" ? "ResNet-18 (Model Zoos, CIFAR stem)"
                                                      : "MLP";
    arch.description = title + ", " + input + ", " + layout + ", " + std::to_string(classes) + " classes";
    return arch;
}

std::string batchCounterKey(const std::string &key)
{
    const std::string suffix = "running_var";
    if (key.size() < suffix.size() || key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
        return {};
    return key.substr(0, key.size() - suffix.size()) + "num_batches_tracked";
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

NetworkSpec resnet18Spec(int inputChannels, int64_t classes)
{
    using K = NetworkLayer::Kind;
    NetworkSpec spec;
    spec.family = "resnet-18";
    spec.channels = inputChannels;
    spec.height = spec.width = 32;
    spec.classes = classes;
    spec.fixedActivation = "relu";
    auto conv = [](const std::string &name, int64_t outputs, int64_t stride) {
        NetworkLayer layer{K::Conv, outputs, 3, stride, 1, false, name};
        return layer;
    };
    auto norm = [](const std::string &name) { return NetworkLayer{K::BatchNorm, 0, 0, 1, 0, true, name}; };
    spec.layers = {conv("conv1", 64, 1), norm("bn1"), {K::Activation}};
    int64_t channels = 64;
    for (int stage = 1; stage <= 4; ++stage) {
        const int64_t outputs = 64 << (stage - 1);
        for (int block = 0; block < 2; ++block) {
            const std::string name = "layer" + std::to_string(stage) + "." + std::to_string(block);
            const int64_t stride = stage > 1 && block == 0 ? 2 : 1;
            const bool downsample = stride != 1 || channels != outputs;
            spec.layers.insert(spec.layers.end(),
                               {{K::BlockBegin}, conv(name + ".conv1", outputs, stride), norm(name + ".bn1"), {K::Activation},
                                conv(name + ".conv2", outputs, 1), norm(name + ".bn2"),
                                NetworkLayer{K::BlockEnd, downsample ? outputs : 0, 1, stride, 0, false, name},
                                {K::Activation}});
            channels = outputs;
        }
    }
    spec.layers.push_back({K::AvgPool});
    spec.layers.push_back(NetworkLayer{K::Linear, classes, 0, 1, 0, true, "fc"});
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

std::vector<std::string> knownNetworkFamilies() { return {"cnn-s", "cnn-l", "mlp", "resnet-18"}; }

NetworkSpec networkSpec(const std::string &family, int64_t channels, int64_t height, int64_t width, int64_t classes)
{
    if (family == "mlp")
        return mlpSpec(channels * height * width, {32, 16}, classes);
    if (family == "resnet-18") { // adaptive pooling: any image of at least 8x8 (three stride-2 stages)
        if (height < 8 || width < 8)
            throw UsageError("resnet-18 needs images of at least 8x8, the dataset has " + std::to_string(height) + "x" +
                             std::to_string(width));
        NetworkSpec spec = resnet18Spec(int(channels), classes);
        spec.height = height;
        spec.width = width;
        return spec;
    }
    NetworkSpec spec;
    if (family == "cnn-s")
        spec = cnnSmallSpec(int(channels));
    else if (family == "cnn-l")
        spec = cnnLargeSpec(int(channels));
    else
        throw UsageError("unknown architecture '" + family + "' (known: cnn-s, cnn-l, mlp, resnet-18)");
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
