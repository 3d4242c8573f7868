#include "training/officialrules.h"

#include "common/error.h"
#include "common/text.h"

#include <torch/torch.h>

#include <cmath>

namespace wse {

torch::Tensor activate(const torch::Tensor &x, const std::string &name)
{
    if (name == "tanh")
        return torch::tanh(x);
    if (name == "relu")
        return torch::relu(x);
    if (name == "sigmoid")
        return torch::sigmoid(x);
    if (name == "gelu")
        return torch::gelu(x); // exact (erf) form, as nn.GELU()
    if (name == "silu")
        return torch::silu(x);
    if (name == "leaky_relu")
        return torch::leaky_relu(x, 0.01);
    throw UsageError("unknown activation '" + name + "'");
}

// Fills one model's weight tensor in place from that model's generator (torch.nn.init semantics).
void initialiseWeight(torch::Tensor weight, const std::string &scheme, at::Generator &generator)
{
    const int64_t fanIn = weight.numel() / weight.size(0);
    const int64_t fanOut = weight.numel() / weight.size(1);
    if (scheme == "uniform") // the official zoos' "uniform": U(0, 1)
        weight.uniform_(0.0, 1.0, generator);
    else if (scheme == "normal") // N(0, 1)
        weight.normal_(0.0, 1.0, generator);
    else if (scheme == "kaiming_uniform") // a = 0: bound sqrt(2) * sqrt(3 / fan_in)
        weight.uniform_(-std::sqrt(6.0 / double(fanIn)), std::sqrt(6.0 / double(fanIn)), generator);
    else if (scheme == "kaiming_normal")
        weight.normal_(0.0, std::sqrt(2.0 / double(fanIn)), generator);
    else if (scheme == "xavier_uniform")
        weight.uniform_(-std::sqrt(6.0 / double(fanIn + fanOut)), std::sqrt(6.0 / double(fanIn + fanOut)), generator);
    else if (scheme == "xavier_normal")
        weight.normal_(0.0, std::sqrt(2.0 / double(fanIn + fanOut)), generator);
    else if (scheme == "truncated_normal") { // trunc_normal_(mean 0, std 1, a -2, b 2) by inverse CDF
        const double low = 0.5 * (1.0 + std::erf(-2.0 / std::sqrt(2.0)));
        const double high = 0.5 * (1.0 + std::erf(2.0 / std::sqrt(2.0)));
        weight.uniform_(2.0 * low - 1.0, 2.0 * high - 1.0, generator).erfinv_().mul_(std::sqrt(2.0)).clamp_(-2.0, 2.0);
    } else if (scheme == "orthogonal") { // orthogonal_(gain 1): QR of a Gaussian matrix, signs fixed
        const int64_t rows = weight.size(0), cols = weight.numel() / rows;
        torch::Tensor flat = torch::empty({rows, cols}).normal_(0.0, 1.0, generator);
        if (rows < cols)
            flat = flat.t();
        auto [q, r] = torch::linalg_qr(flat);
        q = q * torch::diagonal(r).sign();
        if (rows < cols)
            q = q.t();
        weight.copy_(q.reshape(weight.sizes()));
    } else
        throw UsageError("unknown init '" + scheme + "'");
}

void initialiseModel(const Architecture &architecture, const std::vector<at::Tensor> &tensors, const std::string &scheme,
                     at::Generator &generator)
{
    for (size_t t = 0; t < tensors.size(); ++t) {
        const std::string &key = architecture.tensors[t].key;
        torch::Tensor slice = tensors[t];
        const bool batchNormWeight = endsWith(key, ".weight") && slice.dim() == 1;
        const bool batchNormBias = endsWith(key, ".bias") && t > 0 && architecture.tensors[t - 1].shape.size() == 1;
        if (endsWith(key, ".running_mean") || batchNormBias)
            slice.fill_(0.0);
        else if (endsWith(key, ".running_var") || batchNormWeight)
            slice.fill_(1.0);
        else if (slice.dim() >= 2)
            initialiseWeight(slice, scheme, generator);
        else
            slice.fill_(0.01); // every conv and linear bias 0.01, as the official zoos
    }
}

} // namespace wse
