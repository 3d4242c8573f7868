#include "training/populationtrainer.h"
#include "training/populationtrainer_p.h"

#include "common/assert.h"
#include "common/error.h"
#include "jobs/progress.h"
#include "training/dropoutmasks.h"
#include "training/officialrules.h"
#include "training/populationops.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace wse {



PopulationTrainer::PopulationTrainer(const NetworkSpec &network, std::vector<ModelConfig> configs,
                                     const TrainTestData &data, const std::string &device)
    : d(std::make_unique<Impl>(network, std::move(configs), data, device))
{
    WSE_ASSERT(!d->configs.empty());
    d->readConfigs(network);
    const ImageDataset &train = data.train;
    if (train.channels != network.channels || train.height != network.height || train.width != network.width)
        throw UsageError(network.family + " expects " + std::to_string(network.channels) + "x" +
                         std::to_string(network.height) + "x" + std::to_string(network.width) + " inputs, dataset '" +
                         train.name + "' has " + std::to_string(train.channels) + "x" + std::to_string(train.height) +
                         "x" + std::to_string(train.width));
    if (d->device.is_cuda()) {
        d->convLayout = at::MemoryFormat::Contiguous;
        at::globalContext().setBenchmarkCuDNN(true);   // shapes repeat every step: time the algorithms once
        at::globalContext().setAllowTF32CuDNN(false);  // float32 convolutions, as on the CPU
    }
    if (const char *layout = std::getenv("WSE_CONV_LAYOUT")) // for benchmarks: nchw or nhwc
        d->convLayout = std::string(layout) == "nhwc" ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    // The modules present when any model uses dropout: Dropout is the identity for p = 0, so one
    // forward pass serves models with and without it (their key names differ, not their maths).
    d->modules = network.modules(true);
    torch::NoGradGuard noGrad;
    d->initialiseModels(network.architecture(false));
    d->packTrainableParameters();
    d->trainImages = Impl::imagesTensor(data.train).to(d->device);
    d->trainLabels = Impl::labelsTensor(data.train).to(d->device);
}

// One batch size for all; runs of models sharing an activation (one call each per step); dropout.
void PopulationTrainer::Impl::readConfigs(const NetworkSpec &network)
{
    batchSize = configs.front().batchSize;
    for (const ModelConfig &config : configs) {
        if (config.batchSize != batchSize)
            throw UsageError("a population needs one batch size");
        const std::string &activation = network.fixedActivation.empty() ? config.activation : network.fixedActivation;
        if (activationRuns.empty() || activationRuns.back().name != activation) {
            activate(torch::zeros({1}), activation); // an unknown name fails here, not in the first step
            activationRuns.push_back({activation, 0});
        }
        ++activationRuns.back().models;
        dropout.push_back(config.dropout);
        anyDropout = anyDropout || config.dropout > 0.0;
    }
}

// Each model's weights from its own seeded generator, and its optimiser's settings per model.
void PopulationTrainer::Impl::initialiseModels(const Architecture &architecture)
{
    const int64_t K = k();
    for (const TensorSpec &tensor : architecture.tensors) {
        std::vector<int64_t> shape = {K};
        shape.insert(shape.end(), tensor.shape.begin(), tensor.shape.end());
        params.push_back(torch::empty(shape, torch::kFloat32));
        trainable.push_back(tensor.key.find(".running_") == std::string::npos);
    }
    std::vector<double> lrs, l2, decoupled, sgd;
    for (int64_t i = 0; i < K; ++i) {
        const ModelConfig &config = configs[size_t(i)];
        generators.push_back(at::detail::createCPUGenerator(uint64_t(config.seed)));
        std::vector<torch::Tensor> slices;
        for (const torch::Tensor &tensor : params)
            slices.push_back(tensor[i]);
        initialiseModel(architecture, slices, config.init, generators.back());
        if (config.optimizer != "adam" && config.optimizer != "adamw" && config.optimizer != "sgd")
            throw UsageError("unknown optimizer '" + config.optimizer + "'");
        lrs.push_back(config.learningRate);
        l2.push_back(config.optimizer == "adamw" ? 0.0 : config.weightDecay);
        decoupled.push_back(config.optimizer == "adamw" ? config.weightDecay : 0.0);
        sgd.push_back(config.optimizer == "sgd" ? 1.0 : 0.0);
    }
    auto perModel = [&](const std::vector<double> &values) { return torch::tensor(values, torch::kFloat32).to(device); };
    learningRates = perModel(lrs);
    l2Decay = perModel(l2);
    decoupledDecay = perModel(decoupled);
    isSgd = perModel(sgd);
}

// The trainable tensors become windows of one K x columns matrix (and so do the Adam moments),
// so that an optimiser step is a few operations on whole matrices.
void PopulationTrainer::Impl::packTrainableParameters()
{
    const int64_t K = k();
    int64_t trainableColumns = 0;
    for (size_t t = 0; t < params.size(); ++t)
        trainableColumns += trainable[t] ? params[t].numel() / K : 0;
    const auto matrix = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    flatParams = torch::zeros({K, trainableColumns}, matrix);
    flatMoment1 = torch::zeros({K, trainableColumns}, matrix);
    flatMoment2 = torch::zeros({K, trainableColumns}, matrix);
    int64_t column = 0;
    for (size_t t = 0; t < params.size(); ++t) {
        torch::Tensor &p = params[t];
        if (!trainable[t]) { // running statistics: updated in place by batch_norm, never by the optimizer
            p = p.to(device);
            moment1.push_back(torch::zeros_like(p));
            moment2.push_back(torch::zeros_like(p));
            continue;
        }
        const torch::Tensor initial = p;
        p = window(flatParams, column, initial.sizes());
        p.copy_(initial);
        p.set_requires_grad(true);
        moment1.push_back(window(flatMoment1, column, initial.sizes()));
        moment2.push_back(window(flatMoment2, column, initial.sizes()));
        column += initial.numel() / K;
    }
}

PopulationTrainer::~PopulationTrainer() = default;

int64_t PopulationTrainer::modelCount() const { return d->k(); }

int64_t PopulationTrainer::parameterCount() const
{
    int64_t count = 0;
    for (const torch::Tensor &p : d->params)
        count += p.numel() / d->k();
    return count;
}

std::vector<ModelMetrics> PopulationTrainer::evaluateInitial()
{
    std::vector<ModelMetrics> metrics(static_cast<size_t>(d->k()));
    d->evaluate(Impl::imagesTensor(d->data.train), Impl::labelsTensor(d->data.train), metrics, true);
    d->evaluate(Impl::imagesTensor(d->data.test), Impl::labelsTensor(d->data.test), metrics, false);
    return metrics;
}

std::vector<ModelMetrics> PopulationTrainer::trainEpoch(ProgressReporter *progress, double fractionStart,
                                                        double fractionSpan, const std::string &stage)
{
    const int64_t K = d->k();
    const int64_t n = d->data.train.count;
    const ImageDataset &train = d->data.train;
    // One permutation per model from the model's own stream, like the official per-trial shuffle.
    std::vector<torch::Tensor> orders;
    for (int64_t i = 0; i < K; ++i)
        orders.push_back(torch::randperm(n, d->generators[size_t(i)], torch::TensorOptions().dtype(torch::kInt64)));
    torch::Tensor order = torch::stack(orders).to(d->device); // [K, n]

    torch::Tensor lossSum = torch::zeros({K}, torch::kFloat64).to(d->device);
    torch::Tensor correct = torch::zeros({K}, torch::kInt64).to(d->device);
    const int64_t steps = (n + d->batchSize - 1) / d->batchSize;
    const int64_t reportEvery = std::max<int64_t>(1, steps / 100);
    for (int64_t step = 0; step < steps; ++step) {
        const int64_t start = step * d->batchSize;
        const int64_t end = std::min(n, start + d->batchSize); // the last partial batch is kept
        const int64_t B = end - start;
        torch::Tensor index = order.slice(1, start, end).reshape({-1});
        torch::Tensor x = d->trainImages.index_select(0, index).view({K, B, train.channels, train.height, train.width});
        torch::Tensor y = d->trainLabels.index_select(0, index).view({K, B});
        torch::Tensor logProbabilities = torch::log_softmax(d->forward(x, false, true), -1);
        torch::Tensor perSample = -logProbabilities.gather(2, y.unsqueeze(2)).squeeze(2); // [K, B]
        // Each model's mean batch loss; summing over models keeps their gradients separate.
        perSample.mean(1).sum().backward();
        d->optimizerStep();
        {
            torch::NoGradGuard noGrad;
            lossSum += perSample.detach().sum(1).to(torch::kFloat64);
            correct += logProbabilities.detach().argmax(-1).eq(y).sum(1);
        }
        if (progress && (step % reportEvery == 0 || step + 1 == steps))
            progress->report(fractionStart + fractionSpan * double(step + 1) / double(steps), stage,
                             std::to_string(K) + " models, step " + std::to_string(step + 1) + "/" + std::to_string(steps));
    }
    std::vector<ModelMetrics> metrics(static_cast<size_t>(K));
    torch::Tensor loss = (lossSum / double(n)).cpu();
    torch::Tensor accuracy = (correct.to(torch::kFloat64) / double(n)).cpu();
    for (int64_t i = 0; i < K; ++i) {
        metrics[size_t(i)].trainLoss = loss[i].item<double>();
        metrics[size_t(i)].trainAccuracy = accuracy[i].item<double>();
    }
    d->evaluate(Impl::imagesTensor(d->data.test), Impl::labelsTensor(d->data.test), metrics, false);
    return metrics;
}

std::vector<float> PopulationTrainer::flatWeights() const
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor &p : d->params)
        flat.push_back(p.detach().reshape({d->k(), -1}));
    torch::Tensor rows = torch::cat(flat, 1).to(torch::kCPU).contiguous();
    return std::vector<float>(rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel());
}

void PopulationTrainer::setFlatWeights(const std::vector<float> &rows)
{
    if (int64_t(rows.size()) != d->k() * parameterCount())
        throw UsageError("population weights: " + std::to_string(rows.size()) + " values for " + std::to_string(d->k()) +
                         " models of " + std::to_string(parameterCount()) + " parameters");
    torch::NoGradGuard noGrad;
    const torch::Tensor all = torch::from_blob(const_cast<float *>(rows.data()), {d->k(), parameterCount()}, torch::kFloat32);
    int64_t offset = 0;
    for (size_t t = 0; t < d->params.size(); ++t) {
        torch::Tensor &p = d->params[t];
        const int64_t size = p.numel() / d->k();
        p.copy_(all.slice(1, offset, offset + size).reshape(p.sizes()));
        offset += size;
        d->moment1[t].zero_();
        d->moment2[t].zero_();
    }
    d->stepCount = 0;
}

bool PopulationTrainer::hasBatchNorm() const
{
    return std::find(d->trainable.begin(), d->trainable.end(), false) != d->trainable.end();
}

void PopulationTrainer::conditionBatchNorm(int64_t iterations, int64_t batchSize)
{
    if (!hasBatchNorm() || iterations <= 0)
        return;
    const ImageDataset &set = d->data.validation.count > 0 ? d->data.validation : d->data.train;
    const torch::Tensor images = Impl::imagesTensor(set);
    torch::NoGradGuard noGrad;
    for (int64_t i = 0; i < iterations; ++i) { // cycles through the split, as a loader would
        const int64_t start = (i * batchSize) % set.count;
        const int64_t end = std::min(set.count, start + batchSize);
        d->forward(images.slice(0, start, end).to(d->device), true, true);
    }
}

std::vector<ModelMetrics> PopulationTrainer::evaluateValidation()
{
    std::vector<ModelMetrics> metrics(static_cast<size_t>(d->k()));
    if (d->data.validation.count == 0)
        throw UsageError("the dataset has no validation split to select models on");
    d->evaluate(Impl::imagesTensor(d->data.validation), Impl::labelsTensor(d->data.validation), metrics, false);
    return metrics;
}

static TensorBuffer toBuffer(const torch::Tensor &tensor)
{
    const torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
    TensorBuffer buffer;
    buffer.dtype = cpu.scalar_type() == torch::kUInt8 ? DType::UInt8 : cpu.scalar_type() == torch::kInt64 ? DType::Int64 : DType::Float32;
    buffer.shape.assign(cpu.sizes().begin(), cpu.sizes().end());
    const auto *bytes = static_cast<const uint8_t *>(cpu.data_ptr());
    buffer.bytes.assign(bytes, bytes + cpu.numel() * int64_t(cpu.element_size()));
    return buffer;
}

StateDict PopulationTrainer::saveState() const
{
    StateDict state;
    for (size_t i = 0; i < d->params.size(); ++i) {
        state.entries.emplace_back("param." + std::to_string(i), toBuffer(d->params[i]));
        state.entries.emplace_back("moment1." + std::to_string(i), toBuffer(d->moment1[i]));
        state.entries.emplace_back("moment2." + std::to_string(i), toBuffer(d->moment2[i]));
    }
    state.entries.emplace_back("step", toBuffer(torch::tensor({d->stepCount}, torch::kInt64)));
    for (size_t m = 0; m < d->generators.size(); ++m)
        state.entries.emplace_back("generator." + std::to_string(m), toBuffer(d->generators[m].get_state()));
    return state;
}

void PopulationTrainer::loadState(const StateDict &state, const std::string &label)
{
    auto tensorOf = [&](const std::string &key, const torch::Tensor &like) {
        const TensorBuffer *buffer = state.find(key);
        if (!buffer || buffer->shape != std::vector<int64_t>(like.sizes().begin(), like.sizes().end()))
            throw FormatError(label, "training state lacks '" + key + "' or has it with another shape");
        torch::Tensor cpu = torch::empty(like.sizes(), torch::TensorOptions().dtype(like.scalar_type()));
        std::memcpy(cpu.data_ptr(), buffer->bytes.data(), buffer->bytes.size());
        return cpu.to(like.device());
    };
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < d->params.size(); ++i) {
        d->params[i].copy_(tensorOf("param." + std::to_string(i), d->params[i]));
        d->moment1[i].copy_(tensorOf("moment1." + std::to_string(i), d->moment1[i]));
        d->moment2[i].copy_(tensorOf("moment2." + std::to_string(i), d->moment2[i]));
    }
    d->stepCount = tensorOf("step", torch::zeros({1}, torch::kInt64))[0].item<int64_t>();
    for (size_t m = 0; m < d->generators.size(); ++m) {
        const torch::Tensor like = d->generators[m].get_state();
        d->generators[m].set_state(tensorOf("generator." + std::to_string(m), like));
    }
}

} // namespace wse
