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
// Named modules (ResNet) use their name as the key prefix instead ("layer1.0.conv1").
struct NetworkLayer
{
    enum class Kind {
        Conv, MaxPool, Activation, Dropout, Flatten, Linear,
        BatchNorm,  // BatchNorm2d over the current channels (eps 1e-5, momentum 0.1)
        BlockBegin, // a residual block starts: its input is kept for the shortcut
        BlockEnd,   // h + shortcut; outputs > 0: the shortcut is downsample.0 (1x1 conv, stride) + downsample.1 (BN)
        AvgPool     // adaptive average pooling to 1x1, then flatten
    };
    Kind kind = Kind::Activation;
    int64_t outputs = 0; // Conv: channels, Linear: features, BlockEnd: downsample channels (0: identity)
    int64_t kernel = 0;  // Conv: kernel size; MaxPool: window (= stride)
    int64_t stride = 1;  // Conv, BlockEnd's downsample
    int64_t padding = 0; // Conv
    bool bias = true;    // Conv
    std::string name = {}; // key prefix of named modules ("" = module_list.<index>)
};

struct NetworkSpec
{
    std::string family;        // "cnn-s", "cnn-l", "mlp", "resnet-18"
    int64_t channels = 1;      // input channels (MLP: features)
    int64_t height = 1;
    int64_t width = 1;
    int64_t classes = 10;
    bool dropoutAlways = false; // CNN-l keeps its Dropout modules even with p = 0
    std::string fixedActivation; // ResNet: always "relu" (the official model ignores model::nlin)
    std::vector<NetworkLayer> layers; // Dropout entries mark where dropout goes when p > 0

    // Modules actually present for a dropout probability (p > 0 or dropoutAlways keeps Dropout).
    std::vector<NetworkLayer> modules(bool withDropout) const;
    // Keys (module_list.<index>.weight/bias, or the modules' names) and shapes of the float
    // tensors in state_dict order (BatchNorm's integer num_batches_tracked is not a weight);
    // name gets "-dropout" when indices shift.
    Architecture architecture(bool withDropout) const;
};

// CNN-s of the official Model Zoos (model::type "CNN"): conv 8-6-4, fc 36-20-10, for 28x28 input.
NetworkSpec cnnSmallSpec(int inputChannels = 1);
// CNN-l (model::type "CNN3"): conv 16-32-15 (3x3), fc 60-20-10, for 32x32 input, Dropout always present.
NetworkSpec cnnLargeSpec(int inputChannels = 3);
// ResNet-18 of the official Model Zoos (model::type "Resnet18"): torchvision's ResNet(BasicBlock,
// [2, 2, 2, 2]) with the CIFAR stem (conv1 3x3, stride 1, padding 1, no max pool), ReLU, BatchNorm.
NetworkSpec resnet18Spec(int inputChannels = 3, int64_t classes = 10);
// A multilayer perceptron for tabular data: Linear-act-[Dropout] per hidden layer, then Linear.
NetworkSpec mlpSpec(int64_t features, const std::vector<int64_t> &hidden, int64_t classes);
// By family name for an input of the given shape; throws UsageError for an unknown family or a
// shape the family cannot take.
NetworkSpec networkSpec(const std::string &family, int64_t channels, int64_t height, int64_t width, int64_t classes);
std::vector<std::string> knownNetworkFamilies();

// The key of BatchNorm's step counter beside a running_var key ("bn1.running_var" ->
// "bn1.num_batches_tracked"), "" for other keys: exported checkpoints carry it as int64.
std::string batchCounterKey(const std::string &key);

// Shorthand: the CNN-s architecture.
Architecture cnnSmall(int inputChannels = 1, bool withDropout = false);

} // namespace wse
