#pragma once
// The state of a PopulationTrainer (K networks trained as one): shared by populationtrainer.cpp
// (set-up, training, state) and populationforward.cpp (the grouped forward pass). Private to them.
#include "training/populationtrainer.h"

#include "training/dropoutmasks.h"
#include "training/populationops.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>

namespace wse {

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
    void readConfigs(const NetworkSpec &network);
    void initialiseModels(const Architecture &architecture);
    void packTrainableParameters();
    bool convolutional() const { return network.family != "mlp"; }

    static torch::Tensor imagesTensor(const ImageDataset &set)
    {
        return torch::from_blob(const_cast<float *>(set.images.data()), {set.count, set.channels, set.height, set.width},
                                torch::kFloat32);
    }
    static torch::Tensor labelsTensor(const ImageDataset &set)
    {
        return torch::from_blob(const_cast<int64_t *>(set.labels.data()), {set.count}, torch::kInt64);
    }

    // Each model's dropout rate and hash keys for one mask, drawn from its own stream.
    std::vector<DropoutDraw> dropoutDraws()
    {
        std::vector<DropoutDraw> draws;
        for (int64_t m = 0; m < k(); ++m)
            draws.push_back(drawDropout(dropout[size_t(m)], generators[size_t(m)]));
        return draws;
    }

    // x: [K, B, C, H, W] (each model its own batch) or [B, C, H, W] (one batch shared by all).
    // Returns logits [K, B, classes] (populationforward.cpp).
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
    void evaluate(const torch::Tensor &images, const torch::Tensor &labels, std::vector<ModelMetrics> &metrics,
                  bool intoTrain)
    {
        torch::NoGradGuard noGrad;
        const int64_t n = images.size(0);
        torch::Tensor lossSum = torch::zeros({k()}, torch::kFloat64).to(device);
        torch::Tensor correct = torch::zeros({k()}, torch::kInt64).to(device);
        const int64_t chunk = 64; // small chunks stay in cache: 13x faster than 1000 on CPU
        for (int64_t start = 0; start < n; start += chunk) {
            const int64_t end = std::min(n, start + chunk);
            torch::Tensor y = labels.slice(0, start, end).to(device);
            torch::Tensor logProbabilities = torch::log_softmax(forward(images.slice(0, start, end).to(device), true, false), -1);
            torch::Tensor target = y.unsqueeze(0).expand({k(), end - start});
            lossSum += -logProbabilities.gather(2, target.unsqueeze(2)).squeeze(2).sum(1).to(torch::kFloat64);
            correct += logProbabilities.argmax(-1).eq(target).sum(1);
        }
        torch::Tensor loss = (lossSum / double(n)).cpu();
        torch::Tensor accuracy = (correct.to(torch::kFloat64) / double(n)).cpu();
        for (int64_t i = 0; i < k(); ++i) {
            (intoTrain ? metrics[size_t(i)].trainLoss : metrics[size_t(i)].testLoss) = loss[i].item<double>();
            (intoTrain ? metrics[size_t(i)].trainAccuracy : metrics[size_t(i)].testAccuracy) = accuracy[i].item<double>();
        }
    }

    // One batched step for Adam, AdamW and SGD models alike, as torch.optim does each:
    //   g' = g + l2Decay * p                        (Adam, SGD: weight decay added to the gradient)
    //   Adam/AdamW: m = 0.9 m + 0.1 g';  v = 0.999 v + 0.001 g'^2;  u = m / (sqrt(v / c2) + 1e-8) / c1
    //   SGD:        m = 0.9 m + g' (m = g' at the first step);       u = m
    //   p = p * (1 - lr * decoupledDecay) - lr * u  (AdamW: decoupled weight decay)
    void optimizerStep()
    {
        torch::NoGradGuard noGrad;
        ++stepCount;
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, momentum = 0.9;
        const double correction1 = 1.0 - std::pow(beta1, double(stepCount));
        const double correction2 = 1.0 - std::pow(beta2, double(stepCount));
        const torch::Tensor sgd = isSgd.view({-1, 1});
        const torch::Tensor keep = sgd * (stepCount == 1 ? 0.0 : momentum) + (1.0 - sgd) * beta1;
        const torch::Tensor take = sgd + (1.0 - sgd) * (1.0 - beta1);
        const torch::Tensor rate = learningRates.view({-1, 1});
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
        const torch::Tensor g = torch::cat(grads, 1) + l2Decay.view({-1, 1}) * flatParams;
        flatMoment1.mul_(keep).add_(g * take);
        flatMoment2.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
        const torch::Tensor adam = flatMoment1 / (flatMoment2.sqrt() / std::sqrt(correction2)).add_(epsilon) / correction1;
        const torch::Tensor update = torch::where(sgd > 0.5, flatMoment1, adam);
        flatParams.mul_(1.0 - rate * decoupledDecay.view({-1, 1})).sub_(rate * update);
    }

    // A [K, ...] window onto columns [column, column + numel/K) of a [K, P] matrix: shares its
    // memory but is a tensor of its own, so autograd treats parameters as leaves.
    static torch::Tensor window(const torch::Tensor &matrix, int64_t column, at::IntArrayRef shape)
    {
        std::vector<int64_t> strides(shape.size(), 1);
        for (size_t i = shape.size() - 1; i > 1; --i)
            strides[i - 1] = strides[i] * shape[i];
        strides[0] = matrix.size(1);
        return torch::from_blob(matrix.data_ptr<float>() + column, shape, strides, matrix.options());
    }
};

} // namespace wse
