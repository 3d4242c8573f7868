// K networks trained as one: their set-up, the grouped forward pass, training and their state
// (the batched operations they use: training/populationops).
#include "training/populationtrainer.h"

#include "common/assert.h"
#include "common/error.h"
#include "jobs/progress.h"
#include "training/officialrules.h"
#include "training/populationops.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>

namespace wse {

using Kind = NetworkLayer::Kind;

struct PopulationTrainer::Impl
{
    NetworkSpec network;
    std::vector<NetworkLayer> modules;
    std::vector<ModelConfig> configs;
    const TrainTestData &data;
    torch::Device device;
    // Consecutive models with the same activation: one activation call per run, so models with
    // different activations share a population (the convolutions and products do not care).
    std::vector<ActivationRun> activationRuns;
    int64_t batchSize = 10;
    bool anyDropout = false;
    // Channels-last makes grouped convolutions ~6x faster on CPU; cuDNN is faster with NCHW.
    at::MemoryFormat convLayout = at::MemoryFormat::ChannelsLast;

    std::vector<torch::Tensor> params;  // [K, ...] per tensor, state_dict order
    std::vector<bool> trainable;        // false for BatchNorm running statistics (buffers)
    std::vector<torch::Tensor> moment1; // Adam m / SGD momentum buffer
    std::vector<torch::Tensor> moment2; // Adam v
    // The trainable tensors and their moments live in three [K, trainable parameters] matrices (a
    // model per row); the per-tensor entries above are strided windows onto them, so one optimizer
    // step is a dozen operations on whole matrices instead of a dozen per tensor.
    torch::Tensor flatParams, flatMoment1, flatMoment2;
    torch::Tensor flatMask; // when defined: 0 where a pruned weight stays zero through training
    int64_t stepCount = 0;
    // Per-model optimizer coefficients, shape [K]: see optimizerStep().
    torch::Tensor learningRates, l2Decay, decoupledDecay, isSgd;
    std::vector<double> dropout;
    std::vector<at::Generator> generators;
    torch::Tensor trainImages, trainLabels;

    Impl(const NetworkSpec &n, std::vector<ModelConfig> c, const TrainTestData &d, const std::string &dev)
        : network(n), configs(std::move(c)), data(d), device(dev)
    {}

    int64_t k() const { return int64_t(configs.size()); }
    PopulationState state() { return {params, moment1, moment2, stepCount, generators}; }
    void readConfigs(const NetworkSpec &network);
    void initialiseModels(const Architecture &architecture);
    void packTrainableParameters();
    bool convolutional() const { return network.family != "mlp"; }

    // Each model's dropout rate and hash keys for one mask, drawn from its own stream.
    std::vector<DropoutDraw> dropoutDraws()
    {
        std::vector<DropoutDraw> draws;
        for (int64_t m = 0; m < k(); ++m)
            draws.push_back(drawDropout(dropout[size_t(m)], generators[size_t(m)]));
        return draws;
    }

    // x: [K, B, C, H, W] (each model its own batch) or [B, C, H, W] (one batch shared by all).
    // Returns logits [K, B, classes].
    torch::Tensor forward(const torch::Tensor &x, bool shared, bool training);
    struct Pass // one forward pass: the activations and the next of the weights to use
    {
        torch::Tensor h;
        std::vector<torch::Tensor> weights;
        size_t tensor = 0;
        std::vector<torch::Tensor> blockInputs; // residual blocks' inputs, for their shortcuts
        int64_t B = 0;
        bool linearLayout = false; // [K, B, features] rather than grouped channels [B, K*C, H, W]
        bool sharedInput = false;  // one batch for all models, not yet through the first convolution
        bool training = false;
    };
    Pass startPass(const torch::Tensor &x, bool shared, bool training);
    void applyLayer(const NetworkLayer &layer, Pass &pass);
    torch::Tensor groupedConv(Pass &pass, const torch::Tensor &input, int64_t stride, int64_t padding, bool withBias);
    torch::Tensor batchNorm(Pass &pass, const torch::Tensor &input);

    // Per-model loss and accuracy over a dataset shared by all models, in evaluation mode.
    void evaluate(const ImageDataset &set, std::vector<ModelMetrics> &metrics, bool intoTrain)
    {
        evaluatePopulation([this](const torch::Tensor &x) { return forward(x, true, false); }, imagesOf(set), labelsOf(set),
                           k(), device.str(), metrics, intoTrain);
    }

    // The gradients of the trainable tensors as one [K, P] matrix, then one batched step.
    void optimizerStep()
    {
        // Autograd leaves each gradient in a fresh contiguous tensor (accumulating into strided
        // windows would warn about the gradient layout on every run); one cat gathers them.
        std::vector<torch::Tensor> grads;
        for (size_t t = 0; t < params.size(); ++t) {
            if (!trainable[t])
                continue;
            torch::Tensor &grad = params[t].mutable_grad();
            grads.push_back(grad.defined() ? grad.reshape({k(), -1}) : torch::zeros({k(), params[t].numel() / k()}, params[t].options()));
            grad.reset();
        }
        batchedOptimizerStep(torch::cat(grads, 1), ++stepCount, {flatParams, flatMoment1, flatMoment2},
                             {learningRates, l2Decay, decoupledDecay, isSgd});
        if (flatMask.defined()) {
            torch::NoGradGuard noGrad;
            flatParams.mul_(flatMask);
        }
    }
};

// The grouped forward pass: K networks' convolutions as one grouped convolution, their linear
// layers as one batched product, batch norm per model and channel.
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
    d->trainImages = imagesOf(data.train).to(d->device);
    d->trainLabels = labelsOf(data.train).to(d->device);
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
        p = matrixWindow(flatParams, column, initial.sizes().vec());
        p.copy_(initial);
        p.set_requires_grad(true);
        moment1.push_back(matrixWindow(flatMoment1, column, initial.sizes().vec()));
        moment2.push_back(matrixWindow(flatMoment2, column, initial.sizes().vec()));
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
    d->evaluate(d->data.train, metrics, true);
    d->evaluate(d->data.test, metrics, false);
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
    d->evaluate(d->data.test, metrics, false);
    return metrics;
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
    const torch::Tensor images = imagesOf(set);
    torch::NoGradGuard noGrad;
    for (int64_t i = 0; i < iterations; ++i) { // cycles through the split, as a loader would
        const int64_t start = (i * batchSize) % set.count, end = std::min(set.count, start + batchSize);
        d->forward(images.slice(0, start, end).to(d->device), true, true);
    }
}

std::vector<ModelMetrics> PopulationTrainer::evaluateValidation()
{
    std::vector<ModelMetrics> metrics(static_cast<size_t>(d->k()));
    if (d->data.validation.count == 0)
        throw UsageError("the dataset has no validation split to select models on");
    d->evaluate(d->data.validation, metrics, false);
    return metrics;
}

std::vector<float> PopulationTrainer::flatWeights() const { return flattenParameters(d->params, d->k()); }

void PopulationTrainer::setFlatWeights(const std::vector<float> &rows)
{
    if (int64_t(rows.size()) != d->k() * parameterCount())
        throw UsageError("population weights: " + std::to_string(rows.size()) + " values for " + std::to_string(d->k()) +
                         " models of " + std::to_string(parameterCount()) + " parameters");
    setParameters(d->state(), rows, d->k());
}

std::vector<int32_t> PopulationTrainer::testPredictions(int64_t inputs)
{
    return predictPopulation([this](const torch::Tensor &x) { return d->forward(x, true, false); },
                             imagesOf(d->data.test).slice(0, 0, std::min(inputs, d->data.test.count)), d->k(), d->device.str());
}

void PopulationTrainer::keepZeroWeightsZero()
{
    torch::NoGradGuard noGrad;
    d->flatMask = d->flatParams.detach().ne(0).to(torch::kFloat32);
}

StateDict PopulationTrainer::saveState() const { return savePopulationState(d->state()); }

void PopulationTrainer::loadState(const StateDict &state, const std::string &label)
{
    loadPopulationState(d->state(), state, label);
}

} // namespace wse
