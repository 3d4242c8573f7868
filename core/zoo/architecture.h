#pragma once
// The layout of one network architecture: its state_dict keys in order, with shapes. A flattened
// checkpoint ("weight row") is the concatenation of these tensors in this order, each row-major —
// the same vector the official Model Zoos tooling builds (per layer: weight, then bias).
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct TensorSpec
{
    std::string key;
    std::vector<int64_t> shape;

    int64_t numel() const;
    std::string shapeText() const; // "[8, 1, 5, 5]"
};

struct Architecture
{
    std::string name;         // e.g. "cnn-s"
    std::string description;  // human readable, e.g. "CNN-s (Model Zoos), 1x28x28 input, 10 classes"
    std::vector<TensorSpec> tensors;

    int64_t numel() const;
    int64_t offsetOf(const std::string &key) const; // throws UsageError for an unknown key
    bool sameLayout(const Architecture &other) const;
};

// A trainable network as an ordered list of modules, the way the official zoos build their
// nn.ModuleList: key indices count every module, so Dropout modules shift the indices after them.
struct NetworkLayer
{
    enum class Kind { Conv, MaxPool, Activation, Dropout, Flatten, Linear };
    Kind kind = Kind::Activation;
    int64_t outputs = 0; // Conv: channels, Linear: features
    int64_t kernel = 0;  // Conv: kernel size; MaxPool: window (= stride)
};

struct NetworkSpec
{
    std::string family;        // "cnn-s", "cnn-l", "mlp"
    int64_t channels = 1;      // input channels (MLP: features)
    int64_t height = 1;
    int64_t width = 1;
    int64_t classes = 10;
    bool dropoutAlways = false; // CNN-l keeps its Dropout modules even with p = 0
    std::vector<NetworkLayer> layers; // Dropout entries mark where dropout goes when p > 0

    // Modules actually present for a dropout probability (p > 0 or dropoutAlways keeps Dropout).
    std::vector<NetworkLayer> modules(bool withDropout) const;
    // Keys (module_list.<index>.weight/bias) and shapes; name gets "-dropout" when indices shift.
    Architecture architecture(bool withDropout) const;
};

// CNN-s of the official Model Zoos (model::type "CNN"): conv 8-6-4, fc 36-20-10, for 28x28 input.
NetworkSpec cnnSmallSpec(int inputChannels = 1);
// CNN-l (model::type "CNN3"): conv 16-32-15 (3x3), fc 60-20-10, for 32x32 input, Dropout always present.
NetworkSpec cnnLargeSpec(int inputChannels = 3);
// A multilayer perceptron for tabular data: Linear-act-[Dropout] per hidden layer, then Linear.
NetworkSpec mlpSpec(int64_t features, const std::vector<int64_t> &hidden, int64_t classes);
// By family name for an input of the given shape; throws UsageError for an unknown family or a
// shape the family cannot take.
NetworkSpec networkSpec(const std::string &family, int64_t channels, int64_t height, int64_t width, int64_t classes);
std::vector<std::string> knownNetworkFamilies();

// Shorthand: the CNN-s architecture.
Architecture cnnSmall(int inputChannels = 1, bool withDropout = false);

} // namespace wse
