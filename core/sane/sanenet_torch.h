#pragma once
// The SANE network (sane-spec §4, gpt2 variant) as LibTorch modules whose parameter names are
// exactly the official state_dict's (§4.3). PRIVATE to the files that run it (sane/sanenet.cpp,
// sane/sanemodel.cpp): it includes torch (~30 s a file); everything else uses sane/sanemodel.h.
#include "checkpoint/statedict.h"
#include "sane/saneconfig.h"

#include <torch/torch.h>

#include <array>
#include <string>

namespace wse::sane {

// Whether a new network draws torch's default initial weights (as nn.Linear does: kaiming-uniform)
// before its own: a fresh network must, since those draws advance the generator the official
// initialisation then draws from; a network about to be loaded skips them (seconds for the
// official sizes).
enum class DefaultDraws { Torch, Skip };

// nn.Linear with the same parameters ("weight" [out, in], optional "bias" [out]) and forward,
// whose default initialisation can be skipped.
struct DenseImpl : torch::nn::Module
{
    DenseImpl(int64_t inputs, int64_t outputs, bool withBias, DefaultDraws draws);
    torch::Tensor forward(const torch::Tensor &x) { return torch::nn::functional::linear(x, weight, bias); }
    torch::Tensor weight, bias;
};
TORCH_MODULE(Dense);

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
    SelfAttentionImpl(int64_t width, int64_t heads, double dropout, DefaultDraws draws);
    torch::Tensor forward(const torch::Tensor &x);
    Dense c_attn{nullptr}, c_proj{nullptr};
    int64_t heads;
    double dropout;
};
TORCH_MODULE(SelfAttention);

struct MlpImpl : torch::nn::Module
{
    MlpImpl(int64_t width, double dropout, DefaultDraws draws);
    torch::Tensor forward(const torch::Tensor &x);
    Dense c_fc{nullptr}, c_proj{nullptr};
    double dropout;
};
TORCH_MODULE(Mlp);

struct BlockImpl : torch::nn::Module
{
    BlockImpl(int64_t width, int64_t heads, double dropout, DefaultDraws draws);
    torch::Tensor forward(torch::Tensor x);
    LayerNormNoBias ln_1{nullptr}, ln_2{nullptr};
    SelfAttention attn{nullptr};
    Mlp mlp{nullptr};
};
TORCH_MODULE(Block);

// "<prefix>.transformer.<i>...": a stack of blocks without a final norm.
struct TransformerImpl : torch::nn::Module
{
    TransformerImpl(int64_t width, int64_t heads, int64_t layers, double dropout, DefaultDraws draws);
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
    ProjectionHeadImpl(int64_t inputs, int64_t width, DefaultDraws draws);
    torch::Tensor forward(const torch::Tensor &z); // z [B, T, d_z] -> [B, width]
    torch::nn::Sequential head;
};
TORCH_MODULE(ProjectionHead);

struct SaneNetImpl : torch::nn::Module
{
    // Parameters are allocated, not initialised: call initialise() for a fresh network, or load.
    SaneNetImpl(const SaneConfig &config, DefaultDraws draws);
    torch::Tensor encode(const torch::Tensor &tokens, const torch::Tensor &positions);
    torch::Tensor decode(const torch::Tensor &latents, const torch::Tensor &positions);
    torch::Tensor project(const torch::Tensor &latents) { return projection_head->forward(latents); }
    // The official initialisation (§4.2), drawn from torch's global generator.
    void initialise();

    SaneConfig config;
    Dense tokenizer{nullptr}, encoder_comp{nullptr}, detokenizer{nullptr}, decoder_comp{nullptr};
    Transformer transformer_encoder{nullptr}, transformer_decoder{nullptr};
    PositionEmbs pe{nullptr};
    ProjectionHead projection_head{nullptr};
};
TORCH_MODULE(SaneNet);

// The network's weights by their official names, and back (FormatError naming `label` and what does
// not fit).
StateDict toStateDict(SaneNetImpl &net);
void loadStateDict(SaneNetImpl &net, const StateDict &stateDict, const std::string &label);

} // namespace wse::sane
