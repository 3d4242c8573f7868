#pragma once
// The inside of a PopulationTrainer, shared by its two source files: populationtrainer.cpp (set-up,
// the grouped forward pass, training, evaluation) and populationweights.cpp (weights, predictions,
// masks and the training state in and out). Included by nothing else: it brings in torch.
#include "training/populationops.h"
#include "training/populationtrainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

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

} // namespace wse
