#include "sane/saneconfig.h"

#include "common/error.h"
#include "common/jsonread.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>

namespace wse {

std::vector<std::string> SaneConfig::presetNames() { return {"official-cnn", "official-resnet", "small", "tiny"}; }

SaneConfig SaneConfig::preset(const std::string &name)
{
    SaneConfig c;
    if (name == "official-cnn") { // experiments/cnn-cifar10: the shipped CNN-l configuration
        c.tokenSize = 289; c.dModel = 1024; c.heads = 8; c.layers = 8; c.latent = 128;
        c.maxPositions = {100, 10, 40}; c.windowSize = 64;
    } else if (name == "official-resnet") { // experiments/resnet18-cifar100
        c.tokenSize = 288; c.dModel = 2048; c.heads = 16; c.layers = 8; c.latent = 128;
        c.maxPositions = {55000, 100, 550}; c.windowSize = 256; c.includeBatchNorm = true;
    } else if (name == "small") { // trainable on two CPU cores in minutes on a CNN-s zoo
        c.tokenSize = 201; c.dModel = 128; c.heads = 4; c.layers = 2; c.latent = 32;
        c.windowSize = 16; c.epochs = 100; c.learningRate = 1e-3; c.checkpointEvery = 25;
    } else if (name == "tiny") { // tests
        c.tokenSize = 0; c.dModel = 32; c.heads = 2; c.layers = 1; c.latent = 8;
        c.windowSize = 8; c.epochs = 3; c.batchSize = 8; c.learningRate = 1e-3; c.checkpointEvery = 1;
    } else {
        std::string names;
        for (const std::string &n : presetNames())
            names += (names.empty() ? "" : ", ") + n;
        throw UsageError("unknown SANE preset '" + name + "' (known: " + names + ")");
    }
    return c;
}

namespace {

// One table of (name, getter/setter through json) keeps toJson, fromJson and set in step.

// The setter's json is one value of a configuration file; `key` and `label` name it in errors.
using Setter = std::function<void(SaneConfig &, const nlohmann::json &, const std::string &, const std::string &)>;

template <typename T> std::pair<std::function<nlohmann::json(const SaneConfig &)>, Setter> field(T SaneConfig::*member)
{
    return {[member](const SaneConfig &c) { return nlohmann::json(c.*member); },
            [member](SaneConfig &c, const nlohmann::json &j, const std::string &key, const std::string &label) {
                c.*member = jsonread::get<T>(j, key, label);
            }};
}

using Field = std::pair<std::function<nlohmann::json(const SaneConfig &)>, Setter>;

const std::map<std::string, Field> &fields()
{
    static const std::map<std::string, Field> table = {
        {"token_size", field(&SaneConfig::tokenSize)}, {"d_model", field(&SaneConfig::dModel)},
        {"heads", field(&SaneConfig::heads)}, {"layers", field(&SaneConfig::layers)},
        {"latent", field(&SaneConfig::latent)}, {"max_positions", field(&SaneConfig::maxPositions)},
        {"window_size", field(&SaneConfig::windowSize)}, {"dropout", field(&SaneConfig::dropout)},
        {"head_dim", field(&SaneConfig::headDim)}, {"include_bn", field(&SaneConfig::includeBatchNorm)},
        {"gamma", field(&SaneConfig::gamma)}, {"temperature", field(&SaneConfig::temperature)},
        {"noise", field(&SaneConfig::noise)}, {"permute_view", field(&SaneConfig::permuteView)},
        {"lr", field(&SaneConfig::learningRate)}, {"wd", field(&SaneConfig::weightDecay)},
        {"batch_size", field(&SaneConfig::batchSize)}, {"epochs", field(&SaneConfig::epochs)},
        {"checkpoint_every", field(&SaneConfig::checkpointEvery)}, {"seed", field(&SaneConfig::seed)},
        {"split", field(&SaneConfig::split)}, {"align", field(&SaneConfig::align)},
    };
    return table;
}

std::string knownKeys()
{
    std::string keys;
    for (const auto &entry : fields())
        keys += (keys.empty() ? "" : ", ") + entry.first;
    return keys;
}

} // namespace

void SaneConfig::set(const std::string &key, const std::string &value)
{
    const auto it = fields().find(key);
    if (it == fields().end())
        throw UsageError("unknown SANE setting '" + key + "' (known: " + knownKeys() + ")");
    nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded())
        parsed = value; // a bare word: a text setting
    try {
        it->second.second(*this, parsed, key, {});
    } catch (const FormatError &error) {
        throw UsageError("SANE setting " + error.reason());
    }
}

std::string SaneConfig::toJson() const
{
    nlohmann::json j;
    for (const auto &[name, accessors] : fields())
        j[name] = accessors.first(*this);
    return j.dump(1);
}

SaneConfig SaneConfig::fromJson(const std::string &text, const std::string &label)
{
    SaneConfig c;
    const nlohmann::json j = jsonread::parseObject(text, label, "SANE configuration");
    for (const auto &[key, value] : j.items()) {
        const auto it = fields().find(key);
        if (it == fields().end())
            throw FormatError(label, "unknown SANE setting '" + key + "' (known: " + knownKeys() + ")");
        it->second.second(c, value, key, label);
    }
    return c;
}

SaneConfig SaneConfig::fromOfficialParams(const std::string &text, const std::string &label)
{
    SaneConfig c;
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (!j.is_object())
            throw FormatError(label, "params.json is not a JSON object");
        auto read = [&](const char *key, auto &target) {
            if (j.contains(key) && !j[key].is_null())
                target = j[key].get<std::decay_t<decltype(target)>>();
        };
        read("ae:i_dim", c.tokenSize);
        read("ae:d_model", c.dModel);
        read("ae:nhead", c.heads);
        read("ae:num_layers", c.layers);
        read("ae:lat_dim", c.latent);
        read("ae:dropout", c.dropout);
        read("training::windowsize", c.windowSize);
        read("training::gamma", c.gamma);
        read("training::temperature", c.temperature);
        read("optim::lr", c.learningRate);
        read("optim::wd", c.weightDecay);
        read("trainset::batchsize", c.batchSize);
        read("training::epochs_train", c.epochs);
        read("seed", c.seed);
        if (j.contains("ae:transformer_type") && j["ae:transformer_type"] != "gpt2")
            throw FormatError(label, "ae:transformer_type is " + j["ae:transformer_type"].dump() +
                                         "; only the gpt2 variant (used by every shipped SANE) is supported");
        if (j.contains("ae:max_positions")) {
            const std::vector<int64_t> sizes = j["ae:max_positions"].get<std::vector<int64_t>>();
            if (sizes.size() != 3)
                throw FormatError(label, "ae:max_positions has " + std::to_string(sizes.size()) +
                                             " entries; only the three-table (n, l, k) embedding is supported");
            c.maxPositions = {sizes[0], sizes[1], sizes[2]};
        }
    } catch (const nlohmann::json::exception &error) {
        throw FormatError(label, std::string("params.json: ") + error.what());
    }
    return c;
}

void SaneConfig::validate() const
{
    if (tokenSize <= 0 || dModel <= 0 || layers <= 0 || latent <= 0 || windowSize <= 0 || heads <= 0)
        throw UsageError("SANE configuration: token_size, d_model, heads, layers, latent and window_size must be positive");
    if (dModel % heads != 0)
        throw UsageError("SANE configuration: d_model " + std::to_string(dModel) + " is not divisible by heads " +
                         std::to_string(heads));
    if (dModel % 2 != 0)
        throw UsageError("SANE configuration: d_model must be even (the position tables take d_model/2 each)");
    for (int64_t size : maxPositions)
        if (size <= 0)
            throw UsageError("SANE configuration: max_positions not set (they are sized from the data when training)");
    if (gamma < 0 || gamma > 1)
        throw UsageError("SANE configuration: gamma must be in [0, 1]");
}

int64_t SaneConfig::parameterCount() const
{
    const int64_t d = dModel;
    const int64_t stack = layers * (12 * d * d + 2 * d);
    return 2 * stack + (d * tokenSize + d) + (tokenSize * d + tokenSize) + (latent * d + latent) + (d * latent + d) +
           (maxPositions[0] + maxPositions[1] + maxPositions[2]) * (d / 2) +
           (headDim * windowSize * latent) + 2 * headDim + headDim * headDim + 2 * headDim;
}

} // namespace wse
