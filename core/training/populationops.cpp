#include "training/populationops.h"

#include "common/error.h"
#include "training/officialrules.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace wse {

at::Tensor activateRuns(const at::Tensor &h, int modelAxis, const std::vector<ActivationRun> &runs)
{
    if (runs.size() == 1)
        return activate(h, runs.front().name);
    int64_t models = 0;
    for (const ActivationRun &run : runs)
        models += run.models;
    // Grouped channels in memory order: a matrix with the model axis as its last dimension
    // ([B*H*W, K*C] when channels-last), so each run is a block of columns and joining the runs
    // back writes the layout the next convolution wants (no copy into it afterwards).
    const bool channelsLast = modelAxis == 1 && h.dim() == 4 && h.is_contiguous(at::MemoryFormat::ChannelsLast);
    const torch::Tensor matrix = modelAxis == 0 ? h.reshape({models, -1})
                                 : channelsLast ? h.permute({0, 2, 3, 1}).reshape({-1, h.size(1)})
                                                : h.reshape({h.size(0), h.size(1), -1});
    const int axis = modelAxis == 0 ? 0 : 1;
    const int64_t perModel = matrix.size(axis) / models;
    // One split, not a narrow per run: a narrow's gradient is a zero-filled tensor of the whole
    // size per run, the split's one concatenation (an epoch of 64 models with six activations:
    // 1.36-1.44 s with narrows and a copy back to channels-last, 1.13 s now).
    std::vector<int64_t> sizes;
    for (const ActivationRun &run : runs)
        sizes.push_back(run.models * perModel);
    const std::vector<torch::Tensor> pieces = matrix.split_with_sizes(sizes, axis);
    std::vector<torch::Tensor> parts;
    for (size_t r = 0; r < runs.size(); ++r)
        parts.push_back(activate(pieces[r], runs[r].name));
    const torch::Tensor joined = torch::cat(parts, axis);
    if (channelsLast)
        return joined.view({h.size(0), h.size(2), h.size(3), h.size(1)}).permute({0, 3, 1, 2});
    return joined.view(h.sizes());
}

// The masks of all models come from one hash over their elements (dropoutmasks.h): a Bernoulli
// draw per element from each model's generator took ~20 ns an element, ~250 us per model for
// CNN-s's first dropout, longer than the rest of a training step.
at::Tensor applyDropout(const at::Tensor &h, int modelAxis, const std::vector<DropoutDraw> &draws)
{
    const int64_t models = int64_t(draws.size());
    std::vector<int64_t> perModel = h.sizes().vec(); // one model's mask, in its own order
    if (modelAxis == 0) {
        perModel.erase(perModel.begin());
        return h * dropoutMasks(draws, perModel, h);
    }
    perModel[1] /= models;
    std::vector<int64_t> split = perModel; // [B, K, C, ...]: h's layout, the model axis split out
    split.insert(split.begin() + 1, models);
    torch::Tensor masks = torch::empty_like(h); // h's memory format
    masks.view(split).copy_(dropoutMasks(draws, perModel, h).transpose(0, 1));
    return h * masks;
}

// As torch.optim does each:
//   g' = g + l2Decay * p                        (Adam, SGD: weight decay added to the gradient)
//   Adam/AdamW: m = 0.9 m + 0.1 g';  v = 0.999 v + 0.001 g'^2;  u = m / (sqrt(v / c2) + 1e-8) / c1
//   SGD:        m = 0.9 m + g' (m = g' at the first step);       u = m
//   p = p * (1 - lr * decoupledDecay) - lr * u  (AdamW: decoupled weight decay)
void batchedOptimizerStep(const at::Tensor &grads, int64_t step, PopulationMoments state, PopulationCoefficients c)
{
    torch::NoGradGuard noGrad;
    const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, momentum = 0.9;
    const double correction1 = 1.0 - std::pow(beta1, double(step));
    const double correction2 = 1.0 - std::pow(beta2, double(step));
    const torch::Tensor sgd = c.isSgd.view({-1, 1});
    const torch::Tensor keep = sgd * (step == 1 ? 0.0 : momentum) + (1.0 - sgd) * beta1;
    const torch::Tensor take = sgd + (1.0 - sgd) * (1.0 - beta1);
    const torch::Tensor rate = c.learningRates.view({-1, 1});
    const torch::Tensor g = grads + c.l2Decay.view({-1, 1}) * state.params;
    state.moment1.mul_(keep).add_(g * take);
    state.moment2.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
    const torch::Tensor adam = state.moment1 / (state.moment2.sqrt() / std::sqrt(correction2)).add_(epsilon) / correction1;
    const torch::Tensor update = torch::where(sgd > 0.5, state.moment1, adam);
    state.params.mul_(1.0 - rate * c.decoupledDecay.view({-1, 1})).sub_(rate * update);
}

at::Tensor matrixWindow(const at::Tensor &matrix, int64_t column, const std::vector<int64_t> &shape)
{
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t i = shape.size() - 1; i > 1; --i)
        strides[i - 1] = strides[i] * shape[i];
    strides[0] = matrix.size(1);
    return torch::from_blob(matrix.data_ptr<float>() + column, shape, strides, matrix.options());
}

void evaluatePopulation(const std::function<at::Tensor(const at::Tensor &)> &logits, const at::Tensor &images,
                        const at::Tensor &labels, int64_t models, const std::string &device,
                        std::vector<ModelMetrics> &metrics, bool intoTrain)
{
    torch::NoGradGuard noGrad;
    const torch::Device on(device);
    const int64_t n = images.size(0);
    torch::Tensor lossSum = torch::zeros({models}, torch::kFloat64).to(on);
    torch::Tensor correct = torch::zeros({models}, torch::kInt64).to(on);
    const int64_t chunk = 64; // small chunks stay in cache: 13x faster than 1000 on CPU
    for (int64_t start = 0; start < n; start += chunk) {
        const int64_t end = std::min(n, start + chunk);
        torch::Tensor y = labels.slice(0, start, end).to(on);
        torch::Tensor logProbabilities = torch::log_softmax(logits(images.slice(0, start, end).to(on)), -1);
        torch::Tensor target = y.unsqueeze(0).expand({models, end - start});
        lossSum += -logProbabilities.gather(2, target.unsqueeze(2)).squeeze(2).sum(1).to(torch::kFloat64);
        correct += logProbabilities.argmax(-1).eq(target).sum(1);
    }
    torch::Tensor loss = (lossSum / double(n)).cpu();
    torch::Tensor accuracy = (correct.to(torch::kFloat64) / double(n)).cpu();
    for (int64_t i = 0; i < models; ++i) {
        (intoTrain ? metrics[size_t(i)].trainLoss : metrics[size_t(i)].testLoss) = loss[i].item<double>();
        (intoTrain ? metrics[size_t(i)].trainAccuracy : metrics[size_t(i)].testAccuracy) = accuracy[i].item<double>();
    }
}

std::vector<int32_t> predictPopulation(const std::function<at::Tensor(const at::Tensor &)> &logits, const at::Tensor &images,
                                       int64_t models, const std::string &device)
{
    torch::NoGradGuard noGrad;
    const int64_t n = images.size(0), chunk = 64;
    std::vector<torch::Tensor> parts;
    for (int64_t start = 0; start < n; start += chunk)
        parts.push_back(logits(images.slice(0, start, std::min(n, start + chunk)).to(torch::Device(device))).argmax(-1).cpu());
    if (parts.empty())
        return {};
    const torch::Tensor classes = torch::cat(parts, 1).to(torch::kInt32).contiguous(); // [K, N]
    return {classes.data_ptr<int32_t>(), classes.data_ptr<int32_t>() + models * n};
}

std::vector<float> flattenParameters(const std::vector<at::Tensor> &params, int64_t models)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor &p : params)
        flat.push_back(p.detach().reshape({models, -1}));
    torch::Tensor rows = torch::cat(flat, 1).to(torch::kCPU).contiguous();
    return std::vector<float>(rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel());
}

void setParameters(PopulationState state, const std::vector<float> &rows, int64_t models)
{
    torch::NoGradGuard noGrad;
    const int64_t columns = int64_t(rows.size()) / models;
    const torch::Tensor all = torch::from_blob(const_cast<float *>(rows.data()), {models, columns}, torch::kFloat32);
    int64_t offset = 0;
    for (size_t t = 0; t < state.params.size(); ++t) {
        torch::Tensor &p = state.params[t];
        const int64_t size = p.numel() / models;
        p.copy_(all.slice(1, offset, offset + size).reshape(p.sizes()));
        offset += size;
        state.moment1[t].zero_();
        state.moment2[t].zero_();
    }
    state.step = 0;
}

StateDict savePopulationState(PopulationState state)
{
    StateDict saved;
    for (size_t i = 0; i < state.params.size(); ++i) {
        saved.entries.emplace_back("param." + std::to_string(i), toBuffer(state.params[i]));
        saved.entries.emplace_back("moment1." + std::to_string(i), toBuffer(state.moment1[i]));
        saved.entries.emplace_back("moment2." + std::to_string(i), toBuffer(state.moment2[i]));
    }
    saved.entries.emplace_back("step", toBuffer(torch::tensor({state.step}, torch::kInt64)));
    for (size_t m = 0; m < state.generators.size(); ++m)
        saved.entries.emplace_back("generator." + std::to_string(m), toBuffer(state.generators[m].get_state()));
    return saved;
}

void loadPopulationState(PopulationState state, const StateDict &saved, const std::string &label)
{
    auto tensorOf = [&](const std::string &key, const torch::Tensor &like) { return fromBuffer(saved, key, like, label); };
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < state.params.size(); ++i) {
        state.params[i].copy_(tensorOf("param." + std::to_string(i), state.params[i]));
        state.moment1[i].copy_(tensorOf("moment1." + std::to_string(i), state.moment1[i]));
        state.moment2[i].copy_(tensorOf("moment2." + std::to_string(i), state.moment2[i]));
    }
    state.step = tensorOf("step", torch::zeros({1}, torch::kInt64))[0].item<int64_t>();
    for (size_t m = 0; m < state.generators.size(); ++m) {
        const torch::Tensor like = state.generators[m].get_state();
        state.generators[m].set_state(tensorOf("generator." + std::to_string(m), like));
    }
}

at::Tensor imagesOf(const ImageDataset &set)
{
    return torch::from_blob(const_cast<float *>(set.images.data()), {set.count, set.channels, set.height, set.width},
                            torch::kFloat32);
}

at::Tensor labelsOf(const ImageDataset &set)
{
    return torch::from_blob(const_cast<int64_t *>(set.labels.data()), {set.count}, torch::kInt64);
}

TensorBuffer toBuffer(const at::Tensor &tensor)
{
    const torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
    TensorBuffer buffer;
    buffer.dtype = cpu.scalar_type() == torch::kUInt8 ? DType::UInt8 : cpu.scalar_type() == torch::kInt64 ? DType::Int64 : DType::Float32;
    buffer.shape.assign(cpu.sizes().begin(), cpu.sizes().end());
    const auto *bytes = static_cast<const uint8_t *>(cpu.data_ptr());
    buffer.bytes.assign(bytes, bytes + cpu.numel() * int64_t(cpu.element_size()));
    return buffer;
}

at::Tensor fromBuffer(const StateDict &state, const std::string &key, const at::Tensor &like, const std::string &label)
{
    const TensorBuffer *buffer = state.find(key);
    if (!buffer || buffer->shape != std::vector<int64_t>(like.sizes().begin(), like.sizes().end()))
        throw FormatError(label, "training state lacks '" + key + "' or has it with another shape");
    torch::Tensor cpu = torch::empty(like.sizes(), torch::TensorOptions().dtype(like.scalar_type()));
    std::memcpy(cpu.data_ptr(), buffer->bytes.data(), buffer->bytes.size());
    return cpu.to(like.device());
}

} // namespace wse
