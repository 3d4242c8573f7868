// The SANE network (sane-spec §4, gpt2 variant) as LibTorch modules whose parameter names are
// exactly the official state_dict's (§4.3), and everything that runs it: encoding, decoding and
// the training step. The only SANE file that includes torch (its headers cost ~30 s per file), so
// it stays one file.
#include "sane/sanemodel.h"

#include "distributed/distributed.h"

#include "common/atomicfile.h"
#include "common/error.h"
#include "sane/encoderfile.h"
#include "torchutil/device.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>


namespace wse::sane {

// LayerNorm without bias (nanoGPT's LayerNorm(bias=False)); eps 1e-5.
struct LayerNormNoBiasImpl : torch::nn::Module
{
    explicit LayerNormNoBiasImpl(int64_t width);
    torch::Tensor forward(const torch::Tensor &x);
    torch::Tensor weight;
};
TORCH_MODULE(LayerNormNoBias);

struct SelfAttentionImpl : torch::nn::Module
{
    SelfAttentionImpl(int64_t width, int64_t heads, double dropout);
    torch::Tensor forward(const torch::Tensor &x);
    torch::nn::Linear c_attn{nullptr}, c_proj{nullptr};
    int64_t heads;
    double dropout;
};
TORCH_MODULE(SelfAttention);

struct MlpImpl : torch::nn::Module
{
    MlpImpl(int64_t width, double dropout);
    torch::Tensor forward(const torch::Tensor &x);
    torch::nn::Linear c_fc{nullptr}, c_proj{nullptr};
    double dropout;
};
TORCH_MODULE(Mlp);

struct BlockImpl : torch::nn::Module
{
    BlockImpl(int64_t width, int64_t heads, double dropout);
    torch::Tensor forward(torch::Tensor x);
    LayerNormNoBias ln_1{nullptr}, ln_2{nullptr};
    SelfAttention attn{nullptr};
    Mlp mlp{nullptr};
};
TORCH_MODULE(Block);

// "<prefix>.transformer.<i>...": a stack of blocks without a final norm.
struct TransformerImpl : torch::nn::Module
{
    TransformerImpl(int64_t width, int64_t heads, int64_t layers, double dropout);
    torch::Tensor forward(torch::Tensor x);
    torch::nn::ModuleList transformer;
};
TORCH_MODULE(Transformer);

struct PositionEmbsImpl : torch::nn::Module
{
    PositionEmbsImpl(const std::array<int64_t, 3> &sizes, int64_t width);
    // positions [B, T, 3] (n, l, k), any integer dtype.
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &positions);
    torch::nn::Embedding pe1{nullptr}, pe2{nullptr}, pe3{nullptr};
};
TORCH_MODULE(PositionEmbs);

struct ProjectionHeadImpl : torch::nn::Module
{
    ProjectionHeadImpl(int64_t inputs, int64_t width);
    torch::Tensor forward(const torch::Tensor &z); // z [B, T, d_z] -> [B, width]
    torch::nn::Sequential head;
};
TORCH_MODULE(ProjectionHead);

struct SaneNetImpl : torch::nn::Module
{
    // Parameters are allocated, not initialised: call initialise() for a fresh network, or load.
    explicit SaneNetImpl(const SaneConfig &config);
    torch::Tensor encode(const torch::Tensor &tokens, const torch::Tensor &positions);
    torch::Tensor decode(const torch::Tensor &latents, const torch::Tensor &positions);
    torch::Tensor project(const torch::Tensor &latents) { return projection_head->forward(latents); }
    // The official initialisation (§4.2), drawn from torch's global generator.
    void initialise();

    SaneConfig config;
    torch::nn::Linear tokenizer{nullptr}, encoder_comp{nullptr}, detokenizer{nullptr}, decoder_comp{nullptr};
    Transformer transformer_encoder{nullptr}, transformer_decoder{nullptr};
    PositionEmbs pe{nullptr};
    ProjectionHead projection_head{nullptr};
};
TORCH_MODULE(SaneNet);


LayerNormNoBiasImpl::LayerNormNoBiasImpl(int64_t width) { weight = register_parameter("weight", torch::ones({width})); }

torch::Tensor LayerNormNoBiasImpl::forward(const torch::Tensor &x)
{
    return torch::layer_norm(x.to(torch::kFloat32), {weight.size(0)}, weight, {}, 1e-5); // float32, as autocast on CUDA
}

SelfAttentionImpl::SelfAttentionImpl(int64_t width, int64_t h, double p) : heads(h), dropout(p)
{
    c_attn = register_module("c_attn", torch::nn::Linear(torch::nn::LinearOptions(width, 3 * width).bias(false)));
    c_proj = register_module("c_proj", torch::nn::Linear(torch::nn::LinearOptions(width, width).bias(false)));
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

MlpImpl::MlpImpl(int64_t width, double p) : dropout(p)
{
    c_fc = register_module("c_fc", torch::nn::Linear(torch::nn::LinearOptions(width, 4 * width).bias(false)));
    c_proj = register_module("c_proj", torch::nn::Linear(torch::nn::LinearOptions(4 * width, width).bias(false)));
}

torch::Tensor MlpImpl::forward(const torch::Tensor &x)
{
    return torch::dropout(c_proj->forward(torch::gelu(c_fc->forward(x))), dropout, is_training() && dropout > 0);
}

BlockImpl::BlockImpl(int64_t width, int64_t heads, double dropout)
{
    ln_1 = register_module("ln_1", LayerNormNoBias(width));
    attn = register_module("attn", SelfAttention(width, heads, dropout));
    ln_2 = register_module("ln_2", LayerNormNoBias(width));
    mlp = register_module("mlp", Mlp(width, dropout));
}

torch::Tensor BlockImpl::forward(torch::Tensor x)
{
    x = x + attn->forward(ln_1->forward(x));
    return x + mlp->forward(ln_2->forward(x));
}

TransformerImpl::TransformerImpl(int64_t width, int64_t heads, int64_t layers, double dropout)
{
    transformer = register_module("transformer", torch::nn::ModuleList());
    for (int64_t i = 0; i < layers; ++i)
        transformer->push_back(Block(width, heads, dropout));
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

ProjectionHeadImpl::ProjectionHeadImpl(int64_t inputs, int64_t width)
{
    head = register_module("head", torch::nn::Sequential(
                                       torch::nn::Linear(torch::nn::LinearOptions(inputs, width).bias(false)),
                                       torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})), torch::nn::ReLU(),
                                       torch::nn::Linear(torch::nn::LinearOptions(width, width).bias(false)),
                                       torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})), torch::nn::ReLU()));
}

torch::Tensor ProjectionHeadImpl::forward(const torch::Tensor &z)
{
    // Layer by layer: norms get float32 input under mixed precision (LibTorch 1.13's CPU autocast
    // leaves layer_norm out of its float32 list, so a bfloat16 input would meet float32 weights).
    torch::Tensor x = z.flatten(1);
    for (const auto &layer : head->children()) {
        if (auto *linear = layer->as<torch::nn::LinearImpl>())
            x = linear->forward(x);
        else if (auto *norm = layer->as<torch::nn::LayerNormImpl>())
            x = norm->forward(x.to(torch::kFloat32));
        else
            x = torch::relu(x);
    }
    return x;
}

SaneNetImpl::SaneNetImpl(const SaneConfig &c) : config(c)
{
    config.validate();
    const int64_t d = c.dModel;
    tokenizer = register_module("tokenizer", torch::nn::Linear(c.tokenSize, d));
    transformer_encoder = register_module("transformer_encoder", Transformer(d, c.heads, c.layers, c.dropout));
    encoder_comp = register_module("encoder_comp", torch::nn::Linear(d, c.latent));
    detokenizer = register_module("detokenizer", torch::nn::Linear(d, c.tokenSize));
    transformer_decoder = register_module("transformer_decoder", Transformer(d, c.heads, c.layers, c.dropout));
    decoder_comp = register_module("decoder_comp", torch::nn::Linear(c.latent, d));
    pe = register_module("pe", PositionEmbs(c.maxPositions, d));
    projection_head = register_module("projection_head", ProjectionHead(c.windowSize * c.latent, c.headDim));
}

void SaneNetImpl::initialise()
{
    torch::NoGradGuard noGrad;
    for (auto &module : modules(/*include_self=*/false)) {
        if (auto *linear = module->as<torch::nn::LinearImpl>()) {
            linear->weight.normal_(0.0, 0.02);
            if (linear->bias.defined())
                linear->bias.zero_();
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

namespace wse {

namespace {
// The training state's entry that holds the caller's progress, beside the weights in the same file.
constexpr const char *ProgressKey = "wse_progress";
} // namespace

struct SaneModel::Impl
{
    std::string device;
    std::string precision = "fp32";
    sane::SaneNet net{nullptr};
    std::unique_ptr<torch::optim::AdamW> optimizer; // created by the first training step or load
    ProcessGroup *group = nullptr; // data-parallel training with other processes

    torch::optim::AdamW &adamw()
    {
        if (!optimizer) { // AdamW: weight decay on matrices and embedding tables only (§5.4)
            const SaneConfig &c = net->config;
            std::vector<torch::Tensor> decayed, plain;
            for (const torch::Tensor &p : net->parameters())
                (p.dim() >= 2 ? decayed : plain).push_back(p);
            std::vector<torch::optim::OptimizerParamGroup> groups;
            groups.emplace_back(decayed, std::make_unique<torch::optim::AdamWOptions>(
                                             torch::optim::AdamWOptions(c.learningRate).weight_decay(c.weightDecay)));
            groups.emplace_back(plain, std::make_unique<torch::optim::AdamWOptions>(
                                           torch::optim::AdamWOptions(c.learningRate).weight_decay(0.0)));
            optimizer = std::make_unique<torch::optim::AdamW>(std::move(groups));
        }
        return *optimizer;
    }

    struct Losses
    {
        torch::Tensor total, reconstruction, contrastive;
    };

    Losses loss(const SaneBatch &b)
    {
        const SaneConfig &c = net->config;
        const torch::Device on(device);
        auto tokens = [&](const float *values) {
            return torch::from_blob(const_cast<float *>(values), {b.batch, b.window, c.tokenSize}, torch::kFloat32).to(on);
        };
        const torch::Tensor x = tokens(b.tokens);
        const torch::Tensor second = b.secondTokens ? tokens(b.secondTokens) : x;
        const torch::Tensor mask =
            torch::from_blob(const_cast<float *>(b.mask), {b.window, c.tokenSize}, torch::kFloat32).to(on);
        const torch::Tensor positions = torch::from_blob(const_cast<int32_t *>(b.positions), {b.window, 3}, torch::kInt32)
                                            .to(on, torch::kLong)
                                            .unsqueeze(0)
                                            .expand({b.batch, b.window, 3});
        const int64_t B = b.batch;
        const torch::Tensor xi = x * (1 + c.noise * torch::randn_like(x));
        const torch::Tensor xj = second * (1 + c.noise * torch::randn_like(second));
        const torch::Tensor both = torch::cat({xi, xj});
        const torch::Tensor p = torch::cat({positions, positions});
        Losses losses;
        if (group && group->size() > 1 && net->is_training())
            return lossOfShare(xi, xj, positions, mask);
        const torch::Tensor z = net->encode(both, p);
        const torch::Tensor y = net->decode(z, p);
        losses.reconstruction = (y * mask - both).pow(2).mean();
        losses.contrastive = contrastive(projected(z), B);
        losses.total = c.gamma * losses.contrastive + (1 - c.gamma) * losses.reconstruction;
        return losses;
    }

    torch::Tensor projected(const torch::Tensor &z)
    {
        return torch::nn::functional::normalize(net->project(z), torch::nn::functional::NormalizeFuncOptions().dim(1));
    }

    // NT-Xent over [view one of B samples; view two of them]: each row's positive is its other view.
    torch::Tensor contrastive(const torch::Tensor &projections, int64_t B) const
    {
        const auto on = projections.device();
        torch::Tensor similarity = projections.matmul(projections.t()) / net->config.temperature;
        similarity = similarity.masked_fill(torch::eye(2 * B, torch::TensorOptions().dtype(torch::kBool).device(on)),
                                            -std::numeric_limits<float>::infinity());
        const torch::Tensor targets = (torch::arange(2 * B, torch::TensorOptions().dtype(torch::kLong).device(on)) + B) % (2 * B);
        return torch::nn::functional::cross_entropy(similarity, targets,
                                                    torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
               double(2 * B);
    }

    // Data-parallel: this process encodes its share of the global batch (the same noise as one
    // process draws); the contrastive loss sees every process's projections (the others' as
    // constants), the reconstruction its share of the global mean. Summed over the processes, the
    // gradients are one process's.
    Losses lossOfShare(const torch::Tensor &xi, const torch::Tensor &xj, const torch::Tensor &positions,
                       const torch::Tensor &mask)
    {
        const SaneConfig &c = net->config;
        const int64_t B = xi.size(0), n = group->size(), r = group->rank();
        const int64_t lo = B * r / n, hi = B * (r + 1) / n, share = hi - lo;
        const torch::Tensor both = torch::cat({xi.slice(0, lo, hi), xj.slice(0, lo, hi)});
        const torch::Tensor p = positions.slice(0, 0, 2 * share);
        const torch::Tensor z = net->encode(both, p);
        const torch::Tensor y = net->decode(z, p);
        Losses losses;
        const torch::Tensor partial = (y * mask - both).pow(2).sum() / double(2 * B * both.size(1) * both.size(2));
        const torch::Tensor mine = projected(z).to(torch::kFloat32);
        // Every process's projections, in one process's row order, through one sum.
        torch::Tensor all = torch::zeros({2 * B, mine.size(1)}, torch::kFloat32);
        all.slice(0, lo, hi).copy_(mine.slice(0, 0, share).detach().cpu());
        all.slice(0, B + lo, B + hi).copy_(mine.slice(0, share, 2 * share).detach().cpu());
        group->allReduceSum(all.data_ptr<float>(), all.numel());
        all = all.to(mine.device());
        const torch::Tensor projections = torch::cat({all.slice(0, 0, lo), mine.slice(0, 0, share), all.slice(0, hi, B + lo),
                                                      mine.slice(0, share, 2 * share), all.slice(0, B + hi, 2 * B)});
        losses.contrastive = contrastive(projections, B);
        losses.reconstruction = partial;
        losses.total = c.gamma * losses.contrastive + (1 - c.gamma) * partial;
        return losses;
    }

    // After backward: every process's gradients added up, in buckets of at most 4M values.
    void addUpGradients()
    {
        std::vector<torch::Tensor> grads;
        for (const torch::Tensor &parameter : net->parameters())
            if (parameter.grad().defined())
                grads.push_back(parameter.grad());
        constexpr int64_t Bucket = int64_t(1) << 22;
        for (size_t first = 0; first < grads.size();) {
            size_t last = first;
            int64_t values = 0;
            while (last < grads.size() && (last == first || values + grads[last].numel() <= Bucket))
                values += grads[last++].numel();
            std::vector<torch::Tensor> flat;
            for (size_t i = first; i < last; ++i)
                flat.push_back(grads[i].reshape({-1}).to(torch::kCPU, torch::kFloat32));
            torch::Tensor bucket = torch::cat(flat).contiguous();
            group->allReduceSum(bucket.data_ptr<float>(), bucket.numel());
            int64_t offset = 0;
            for (size_t i = first; i < last; ++i) {
                grads[i].copy_(bucket.slice(0, offset, offset + grads[i].numel()).view_as(grads[i]));
                offset += grads[i].numel();
            }
            first = last;
        }
    }

    static SaneLosses values(const Losses &l)
    {
        return {l.total.item<double>(), l.reconstruction.item<double>(), l.contrastive.item<double>()};
    }
};

SaneModel::SaneModel(const SaneConfig &config, const std::string &device) : d(std::make_unique<Impl>())
{
    useAllCores();
    d->device = resolveDevice(device);
    torch::manual_seed(uint64_t(config.seed));
    d->net = sane::SaneNet(config);
    d->net->initialise();
    d->net->to(torch::Device(d->device));
    d->net->eval();
}

SaneModel::SaneModel(const SaneEncoder &encoder, const std::string &device) : d(std::make_unique<Impl>())
{
    useAllCores();
    d->device = resolveDevice(device);
    d->net = sane::SaneNet(encoder.config);
    sane::loadStateDict(*d->net, encoder.weights, "SANE encoder");
    d->net->to(torch::Device(d->device));
    d->net->eval();
}

SaneModel::~SaneModel() = default;

const SaneConfig &SaneModel::config() const { return d->net->config; }
const std::string &SaneModel::device() const { return d->device; }
void SaneModel::setPrecision(const std::string &precision) { d->precision = checkPrecision(precision); }
const std::string &SaneModel::precision() const { return d->precision; }

SaneLosses SaneModel::trainStep(const SaneBatch &batch, double learningRate, double beta1)
{
    torch::optim::AdamW &optimizer = d->adamw();
    for (auto &group : optimizer.param_groups()) {
        auto &options = static_cast<torch::optim::AdamWOptions &>(group.options());
        options.lr(learningRate);
        options.betas({beta1, 0.999});
    }
    d->net->train();
    Impl::Losses losses;
    {
        const MixedPrecisionScope mixed(d->device, d->precision); // the forward pass only, as torch.autocast
        losses = d->loss(batch);
    }
    optimizer.zero_grad();
    losses.total.backward();
    if (d->group && d->group->size() > 1) {
        d->addUpGradients();
        double shares[1] = {losses.reconstruction.item<double>()}; // the global batch's reconstruction
        d->group->allReduceSum(shares, 1);
        optimizer.step();
        const double contrastive = losses.contrastive.item<double>();
        const double gamma = d->net->config.gamma;
        return {gamma * contrastive + (1 - gamma) * shares[0], shares[0], contrastive};
    }
    optimizer.step();
    return Impl::values(losses);
}

SaneLosses SaneModel::evaluateBatch(const SaneBatch &batch)
{
    torch::NoGradGuard noGrad;
    const MixedPrecisionScope mixed(d->device, d->precision);
    d->net->eval();
    return Impl::values(d->loss(batch));
}

void SaneModel::trainWith(ProcessGroup *group)
{
    d->group = group;
    if (!group || group->size() < 2)
        return;
    // Every process starts from the first one's weights.
    for (torch::Tensor parameter : d->net->parameters()) {
        torch::NoGradGuard noGrad;
        torch::Tensor host = parameter.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        group->broadcast(host.data_ptr<float>(), host.numel(), 0);
        parameter.copy_(host.view_as(parameter));
    }
}

void SaneModel::seedNoise(uint64_t seed) { torch::manual_seed(seed); }

std::vector<int64_t> SaneModel::randomOrder(int64_t count)
{
    const torch::Tensor order = torch::randperm(count, torch::kLong);
    return std::vector<int64_t>(order.data_ptr<int64_t>(), order.data_ptr<int64_t>() + count);
}

int64_t SaneModel::randomBelow(int64_t upper) { return torch::randint(0, upper, {1}).item<int64_t>(); }

void SaneModel::saveTrainingState(const std::string &path, const std::string &progress)
{
    torch::serialize::OutputArchive archive;
    d->net->save(archive);
    d->adamw().save(archive);
    archive.write(ProgressKey, c10::IValue(progress));
    std::vector<uint8_t> bytes;
    archive.save_to([&bytes](const void *data, size_t size) {
        bytes.insert(bytes.end(), static_cast<const uint8_t *>(data), static_cast<const uint8_t *>(data) + size);
        return size;
    });
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

std::string SaneModel::loadTrainingState(const std::string &path)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        d->net->load(archive);
        d->adamw().load(archive);
        c10::IValue progress;
        if (archive.try_read(ProgressKey, progress) && progress.isString())
            return progress.toStringRef();
        return {};
    } catch (const c10::Error &error) {
        throw FormatError(path, std::string("training state does not fit this SANE configuration: ") + error.what_without_backtrace());
    }
}

namespace {

torch::Tensor fromHost(const std::vector<float> &values, std::vector<int64_t> shape, const std::string &device)
{
    return torch::from_blob(const_cast<float *>(values.data()), shape, torch::kFloat32).to(torch::Device(device));
}

torch::Tensor positionsTensor(const std::vector<int32_t> &positions, int64_t batch, int64_t length, const std::string &device)
{
    return torch::from_blob(const_cast<int32_t *>(positions.data()), {batch, length, 3}, torch::kInt32)
        .to(torch::Device(device), torch::kLong);
}

std::vector<float> toHost(const torch::Tensor &tensor)
{
    const torch::Tensor cpu = tensor.to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
}

} // namespace

std::vector<float> SaneModel::encode(const std::vector<float> &tokens, const std::vector<int32_t> &positions,
                                     int64_t batch, int64_t length)
{
    torch::NoGradGuard noGrad;
    const MixedPrecisionScope mixed(d->device, d->precision);
    d->net->eval();
    return toHost(d->net->encode(fromHost(tokens, {batch, length, config().tokenSize}, d->device),
                                 positionsTensor(positions, batch, length, d->device)));
}

std::vector<float> SaneModel::decode(const std::vector<float> &latents, const std::vector<int32_t> &positions,
                                     int64_t batch, int64_t length)
{
    torch::NoGradGuard noGrad;
    const MixedPrecisionScope mixed(d->device, d->precision);
    d->net->eval();
    return toHost(d->net->decode(fromHost(latents, {batch, length, config().latent}, d->device),
                                 positionsTensor(positions, batch, length, d->device)));
}

StateDict SaneModel::stateDict() const { return sane::toStateDict(*d->net); }

} // namespace wse
