// The SANE network's modules: layers, initialisation as the official code does it, and its
// weights by their official names.
#include "sane/sanenet_torch.h"

#include "common/error.h"

#include <cmath>
#include <map>
#include <set>

namespace wse::sane {

DenseImpl::DenseImpl(int64_t inputs, int64_t outputs, bool withBias, DefaultDraws draws)
{
    weight = register_parameter("weight", torch::empty({outputs, inputs}));
    if (withBias)
        bias = register_parameter("bias", torch::empty({outputs}));
    if (draws == DefaultDraws::Skip)
        return;
    torch::NoGradGuard noGrad; // what torch::nn::LinearImpl::reset_parameters draws, in its order
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
    if (withBias) {
        const double bound = 1.0 / std::sqrt(double(inputs));
        torch::nn::init::uniform_(bias, -bound, bound);
    }
}

LayerNormNoBiasImpl::LayerNormNoBiasImpl(int64_t width) { weight = register_parameter("weight", torch::ones({width})); }

torch::Tensor LayerNormNoBiasImpl::forward(const torch::Tensor &x)
{
    return torch::layer_norm(x.to(torch::kFloat32), {weight.size(0)}, weight, {}, 1e-5); // float32, as autocast on CUDA
}

SelfAttentionImpl::SelfAttentionImpl(int64_t width, int64_t h, double p, DefaultDraws draws) : heads(h), dropout(p)
{
    c_attn = register_module("c_attn", Dense(width, 3 * width, false, draws));
    c_proj = register_module("c_proj", Dense(width, width, false, draws));
}

torch::Tensor SelfAttentionImpl::forward(const torch::Tensor &x)
{
    const int64_t B = x.size(0), T = x.size(1), C = x.size(2);
    const std::vector<torch::Tensor> qkv = c_attn->forward(x).split(C, 2);
    auto heads_of = [&](const torch::Tensor &t) { return t.view({B, T, heads, C / heads}).transpose(1, 2); };
    const torch::Tensor q = heads_of(qkv[0]), k = heads_of(qkv[1]), v = heads_of(qkv[2]);
    // softmax(q k^T / sqrt(hd)) v, non-causal, no mask (what scaled_dot_product_attention computes).
    torch::Tensor attention = torch::softmax(torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(C / heads)), -1);
    if (is_training() && dropout > 0)
        attention = torch::dropout(attention, dropout, true);
    const torch::Tensor y = torch::matmul(attention, v).transpose(1, 2).contiguous().view({B, T, C});
    return torch::dropout(c_proj->forward(y), dropout, is_training() && dropout > 0);
}

MlpImpl::MlpImpl(int64_t width, double p, DefaultDraws draws) : dropout(p)
{
    c_fc = register_module("c_fc", Dense(width, 4 * width, false, draws));
    c_proj = register_module("c_proj", Dense(4 * width, width, false, draws));
}

torch::Tensor MlpImpl::forward(const torch::Tensor &x)
{
    return torch::dropout(c_proj->forward(torch::gelu(c_fc->forward(x))), dropout, is_training() && dropout > 0);
}

BlockImpl::BlockImpl(int64_t width, int64_t heads, double dropout, DefaultDraws draws)
{
    ln_1 = register_module("ln_1", LayerNormNoBias(width));
    attn = register_module("attn", SelfAttention(width, heads, dropout, draws));
    ln_2 = register_module("ln_2", LayerNormNoBias(width));
    mlp = register_module("mlp", Mlp(width, dropout, draws));
}

torch::Tensor BlockImpl::forward(torch::Tensor x)
{
    x = x + attn->forward(ln_1->forward(x));
    return x + mlp->forward(ln_2->forward(x));
}

TransformerImpl::TransformerImpl(int64_t width, int64_t heads, int64_t layers, double dropout, DefaultDraws draws)
{
    transformer = register_module("transformer", torch::nn::ModuleList());
    for (int64_t i = 0; i < layers; ++i)
        transformer->push_back(Block(width, heads, dropout, draws));
}

torch::Tensor TransformerImpl::forward(torch::Tensor x)
{
    for (const auto &block : *transformer)
        x = block->as<BlockImpl>()->forward(x);
    return x;
}

PositionEmbsImpl::PositionEmbsImpl(const std::array<int64_t, 3> &sizes, int64_t width)
{
    pe1 = register_module("pe1", torch::nn::Embedding(sizes[0], width / 2));
    pe2 = register_module("pe2", torch::nn::Embedding(sizes[1], width / 2));
    pe3 = register_module("pe3", torch::nn::Embedding(sizes[2], width / 2));
}

torch::Tensor PositionEmbsImpl::forward(const torch::Tensor &x, const torch::Tensor &positions)
{
    const torch::Tensor p = positions.to(torch::kLong);
    const std::array<torch::nn::Embedding *, 3> tables = {&pe1, &pe2, &pe3};
    const char *names[] = {"n (token index)", "l (layer)", "k (row)"};
    for (int axis = 0; axis < 3; ++axis) {
        const int64_t size = (*tables[size_t(axis)])->weight.size(0);
        const int64_t largest = p.select(-1, axis).max().item<int64_t>();
        if (largest >= size || p.select(-1, axis).min().item<int64_t>() < 0)
            throw UsageError("position " + std::string(names[axis]) + " reaches " + std::to_string(largest) +
                             " but the SANE model's table holds " + std::to_string(size) +
                             " entries (max_positions); the checkpoint is larger than what this encoder was built for");
    }
    const torch::Tensor embedding =
        torch::cat({pe1->forward(p.select(-1, 0)) + pe2->forward(p.select(-1, 1)), pe3->forward(p.select(-1, 2))}, -1);
    return x + embedding;
}

ProjectionHeadImpl::ProjectionHeadImpl(int64_t inputs, int64_t width, DefaultDraws draws)
{
    head = register_module("head", torch::nn::Sequential(
                                       Dense(inputs, width, false, draws),
                                       torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})), torch::nn::ReLU(),
                                       Dense(width, width, false, draws),
                                       torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})), torch::nn::ReLU()));
}

torch::Tensor ProjectionHeadImpl::forward(const torch::Tensor &z)
{
    // Layer by layer: norms get float32 input under mixed precision (LibTorch 1.13's CPU autocast
    // leaves layer_norm out of its float32 list, so a bfloat16 input would meet float32 weights).
    torch::Tensor x = z.flatten(1);
    for (const auto &layer : head->children()) {
        if (auto *dense = layer->as<DenseImpl>())
            x = dense->forward(x);
        else if (auto *norm = layer->as<torch::nn::LayerNormImpl>())
            x = norm->forward(x.to(torch::kFloat32));
        else
            x = torch::relu(x);
    }
    return x;
}

SaneNetImpl::SaneNetImpl(const SaneConfig &c, DefaultDraws draws) : config(c)
{
    config.validate();
    const int64_t d = c.dModel;
    tokenizer = register_module("tokenizer", Dense(c.tokenSize, d, true, draws));
    transformer_encoder = register_module("transformer_encoder", Transformer(d, c.heads, c.layers, c.dropout, draws));
    encoder_comp = register_module("encoder_comp", Dense(d, c.latent, true, draws));
    detokenizer = register_module("detokenizer", Dense(d, c.tokenSize, true, draws));
    transformer_decoder = register_module("transformer_decoder", Transformer(d, c.heads, c.layers, c.dropout, draws));
    decoder_comp = register_module("decoder_comp", Dense(c.latent, d, true, draws));
    pe = register_module("pe", PositionEmbs(c.maxPositions, d));
    projection_head = register_module("projection_head", ProjectionHead(c.windowSize * c.latent, c.headDim, draws));
}

void SaneNetImpl::initialise()
{
    torch::NoGradGuard noGrad;
    for (auto &module : modules(/*include_self=*/false)) {
        if (auto *dense = module->as<DenseImpl>()) {
            dense->weight.normal_(0.0, 0.02);
            if (dense->bias.defined())
                dense->bias.zero_();
        } else if (auto *embedding = module->as<torch::nn::EmbeddingImpl>()) {
            embedding->weight.normal_(0.0, 0.02);
        }
    }
    for (auto &item : named_parameters()) {
        const std::string &name = item.key();
        const std::string suffix = "c_proj.weight";
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            item.value().normal_(0.0, 0.02 / std::sqrt(2.0 * double(config.layers)));
    }
}

torch::Tensor SaneNetImpl::encode(const torch::Tensor &tokens, const torch::Tensor &positions)
{
    torch::Tensor x = pe->forward(tokenizer->forward(tokens), positions);
    x = torch::dropout(x, config.dropout, is_training() && config.dropout > 0);
    return encoder_comp->forward(transformer_encoder->forward(x));
}

torch::Tensor SaneNetImpl::decode(const torch::Tensor &latents, const torch::Tensor &positions)
{
    torch::Tensor x = pe->forward(decoder_comp->forward(latents), positions);
    x = torch::dropout(x, config.dropout, is_training() && config.dropout > 0);
    return detokenizer->forward(transformer_decoder->forward(x));
}

// Copies tensors between the module and a StateDict (float32, names as §4.3).
StateDict toStateDict(SaneNetImpl &net)
{
    StateDict out;
    for (const auto &item : net.named_parameters()) {
        const torch::Tensor t = item.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
        out.entries.emplace_back(item.key(), TensorBuffer::fromFloat(t.sizes().vec(), t.data_ptr<float>()));
    }
    return out;
}

// Strict load: official prefixes (_orig_mod., module.) are stripped; missing, unexpected or
// mis-shaped tensors are listed in the FormatError naming `label`.
void loadStateDict(SaneNetImpl &net, const StateDict &stateDict, const std::string &label)
{
    std::map<std::string, const TensorBuffer *> given;
    for (const auto &[rawKey, tensor] : stateDict.entries) {
        std::string key = rawKey;
        for (const std::string prefix : {"_orig_mod.", "module."}) // torch.compile, DDP
            while (key.rfind(prefix, 0) == 0)
                key = key.substr(prefix.size());
        given[key] = &tensor;
    }
    std::vector<std::string> problems;
    std::set<std::string> used;
    torch::NoGradGuard noGrad;
    for (auto &item : net.named_parameters()) {
        const auto it = given.find(item.key());
        if (it == given.end()) {
            problems.push_back("missing " + item.key());
            continue;
        }
        used.insert(item.key());
        const TensorBuffer &buffer = *it->second;
        if (buffer.shape != item.value().sizes().vec()) {
            problems.push_back(item.key() + " is " + buffer.shapeText() + ", the configuration needs " +
                               TensorBuffer{DType::Float32, item.value().sizes().vec(), {}}.shapeText());
            continue;
        }
        if (buffer.dtype == DType::Float32) { // straight from the file's bytes
            item.value().copy_(torch::from_blob(const_cast<uint8_t *>(buffer.bytes.data()), item.value().sizes(), torch::kFloat32));
            continue;
        }
        const std::vector<float> values = buffer.toFloat();
        item.value().copy_(torch::from_blob(const_cast<float *>(values.data()), item.value().sizes(), torch::kFloat32));
    }
    for (const auto &[key, tensor] : given)
        if (!used.count(key))
            problems.push_back("unexpected " + key);
    if (!problems.empty()) {
        std::string text;
        for (size_t i = 0; i < problems.size() && i < 8; ++i)
            text += (i ? "; " : "") + problems[i];
        if (problems.size() > 8)
            text += "; ... (" + std::to_string(problems.size()) + " problems)";
        throw FormatError(label, "SANE weights do not fit the configuration: " + text);
    }
}

} // namespace wse::sane
