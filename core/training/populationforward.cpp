// The grouped forward pass of a population: K networks' convolutions as one grouped convolution,
// their linear layers as one batched product, batch norm per model and channel.
#include "training/populationtrainer_p.h"

namespace wse {

using Kind = NetworkLayer::Kind;

torch::Tensor PopulationTrainer::Impl::forward(const torch::Tensor &x, bool shared, bool training)
{
    Pass pass = startPass(x, shared, training);
    for (const NetworkLayer &layer : modules) {
        if (pass.sharedInput && layer.kind != Kind::Conv) { // no network starts so today; stay correct if one does
            pass.h = pass.h.repeat({1, k(), 1, 1}).contiguous(convLayout);
            pass.sharedInput = false;
        }
        applyLayer(layer, pass);
    }
    return pass.h;
}

PopulationTrainer::Impl::Pass PopulationTrainer::Impl::startPass(const torch::Tensor &x, bool shared, bool training)
{
    const int64_t K = k();
    Pass pass;
    pass.training = training;
    pass.B = shared ? x.size(0) : x.size(1);
    const int64_t B = pass.B;
    pass.linearLayout = !convolutional();
    if (pass.linearLayout)
        pass.h = shared ? x.reshape({1, B, -1}).expand({K, B, x.numel() / B}) : x.reshape({K, B, -1});
    else // grouped channels; a shared batch stays [B, C, H, W] until the first convolution
        pass.h = (shared ? x : x.transpose(0, 1).reshape({B, K * x.size(2), x.size(3), x.size(4)})).contiguous(convLayout);
    pass.sharedInput = shared && !pass.linearLayout;
    // One channel: NCHW and NHWC strides are both "contiguous", and the convolution's output
    // follows the input's strides; NHWC ones keep the grouped layout channels-last.
    torch::Tensor &h = pass.h;
    if (pass.sharedInput && h.size(1) == 1 && convLayout == at::MemoryFormat::ChannelsLast)
        h = h.as_strided(h.sizes(), {h.size(2) * h.size(3), 1, h.size(3), 1});
    // Trainable tensors are strided windows (a row per model); contiguous copies make the
    // convolutions and matrix products take their fast paths. Buffers are used as they are, so
    // batch_norm updates their running statistics in place.
    for (const torch::Tensor &p : params)
        pass.weights.push_back(p.contiguous());
    return pass;
}

void PopulationTrainer::Impl::applyLayer(const NetworkLayer &layer, Pass &pass)
{
    torch::Tensor &h = pass.h;
    switch (layer.kind) {
    case Kind::Conv:
        h = groupedConv(pass, h, layer.stride, layer.padding, layer.bias);
        break;
    case Kind::BatchNorm:
        h = batchNorm(pass, h);
        break;
    case Kind::BlockBegin: // a residual block's input, for its shortcut
        pass.blockInputs.push_back(h);
        break;
    case Kind::BlockEnd: {
        torch::Tensor shortcut = pass.blockInputs.back();
        pass.blockInputs.pop_back();
        if (layer.outputs > 0)
            shortcut = batchNorm(pass, groupedConv(pass, shortcut, layer.stride, 0, false));
        h = h + shortcut;
        break;
    }
    case Kind::MaxPool:
        h = torch::max_pool2d(h, layer.kernel, layer.kernel);
        break;
    case Kind::AvgPool:
        h = h.mean({2, 3}).reshape({pass.B, k(), -1}).transpose(0, 1); // [K, B, C]
        pass.linearLayout = true;
        break;
    case Kind::Activation:
        h = activateRuns(h, pass.linearLayout ? 0 : 1, activationRuns);
        break;
    case Kind::Dropout:
        if (pass.training && anyDropout)
            h = applyDropout(h, pass.linearLayout ? 0 : 1, dropoutDraws());
        break;
    case Kind::Flatten:
        h = h.reshape({pass.B, k(), -1}).transpose(0, 1); // [K, B, C*H*W] in (C, H, W) order per model
        pass.linearLayout = true;
        break;
    case Kind::Linear: {
        const torch::Tensor &w = pass.weights[pass.tensor], &b = pass.weights[pass.tensor + 1];
        pass.tensor += 2;
        h = torch::baddbmm(b.unsqueeze(1), h, w.transpose(1, 2));
        break;
    }
    }
}

torch::Tensor PopulationTrainer::Impl::groupedConv(Pass &pass, const torch::Tensor &input, int64_t stride, int64_t padding,
                                                   bool withBias)
{
    const int64_t K = k();
    const torch::Tensor &w = pass.weights[pass.tensor];
    const torch::Tensor b = withBias ? pass.weights[pass.tensor + 1].reshape({-1}) : torch::Tensor();
    pass.tensor += withBias ? 2 : 1;
    const std::vector<int64_t> strides = {stride, stride}, paddings = {padding, padding}, ones = {1, 1};
    // One batch seen by every model: a plain convolution with all K models' filters gives the
    // grouped layout directly (no K copies of the input; half the time of grouping them).
    const int64_t groups = pass.sharedInput ? 1 : K;
    pass.sharedInput = false;
    return torch::conv2d(input, w.reshape({K * w.size(1), w.size(2), w.size(3), w.size(4)}), b, at::IntArrayRef(strides),
                         at::IntArrayRef(paddings), at::IntArrayRef(ones), groups);
}

// Per model and channel: the channels are K*C.
torch::Tensor PopulationTrainer::Impl::batchNorm(Pass &pass, const torch::Tensor &input)
{
    const torch::Tensor &gamma = pass.weights[pass.tensor], &beta = pass.weights[pass.tensor + 1];
    torch::Tensor mean = pass.weights[pass.tensor + 2].view({-1}), variance = pass.weights[pass.tensor + 3].view({-1});
    pass.tensor += 4;
    return torch::batch_norm(input, gamma.reshape({-1}), beta.reshape({-1}), mean, variance, pass.training, 0.1, 1e-5,
                             at::globalContext().userEnabledCuDNN());
}

} // namespace wse
