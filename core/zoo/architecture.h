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

// CNN-s of the official Model Zoos (model::type "CNN"): conv 8-6-4, fc 36-20-10, for 28x28 input.
// Key indices follow the official nn.ModuleList, shifted when dropout modules are present.
Architecture cnnSmall(int inputChannels = 1, bool withDropout = false);

} // namespace wse
