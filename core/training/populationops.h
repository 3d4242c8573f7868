#pragma once
// The batched operations of a population of K models (training/populationtrainer): each model's
// activation and dropout on the population's tensors, [B, K*C, ...] (grouped channels; modelAxis 1)
// or [K, B, F] (modelAxis 0); one optimizer step for all; evaluation; tensors of datasets and state.
#include "checkpoint/statedict.h"
#include "data/imagedataset.h"
#include "torchutil/torchforward.h"
#include "training/dropoutmasks.h"
#include "training/populationtrainer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wse {

// `models` adjacent models that share an activation.
struct ActivationRun
{
    std::string name;
    int64_t models = 0;
};

// Each run's activation on its models' part of `h` (runs in model order, covering all K models).
at::Tensor activateRuns(const at::Tensor &h, int modelAxis, const std::vector<ActivationRun> &runs);

// `h` times each model's dropout mask (draws in model order, one per model).
at::Tensor applyDropout(const at::Tensor &h, int modelAxis, const std::vector<DropoutDraw> &draws);

// The optimizer's [K, P] matrices (a model per row) and its per-model coefficients, shape [K].
struct PopulationMoments
{
    at::Tensor &params, &moment1, &moment2;
};
struct PopulationCoefficients
{
    const at::Tensor &learningRates, &l2Decay, &decoupledDecay, &isSgd;
};
// Step number `step` (from 1) of Adam, AdamW and SGD models alike, given their gradients [K, P].
void batchedOptimizerStep(const at::Tensor &grads, int64_t step, PopulationMoments state, PopulationCoefficients c);

// A [K, ...] window onto columns [column, column + numel/K) of a [K, P] matrix: shares its memory
// but is a tensor of its own, so autograd treats parameters as leaves.
at::Tensor matrixWindow(const at::Tensor &matrix, int64_t column, const std::vector<int64_t> &shape);

// Each model's loss and accuracy over a dataset shared by all (`logits`: [B, ...] -> [K, B, classes]),
// into the train or test fields of `metrics`.
void evaluatePopulation(const std::function<at::Tensor(const at::Tensor &)> &logits, const at::Tensor &images,
                        const at::Tensor &labels, int64_t models, const std::string &device,
                        std::vector<ModelMetrics> &metrics, bool intoTrain);

// Each model's predicted class (arg-max of its logits) per image, models x images row-major.
std::vector<int32_t> predictPopulation(const std::function<at::Tensor(const at::Tensor &)> &logits, const at::Tensor &images,
                                       int64_t models, const std::string &device);

// What a population trains with and resumes from: every tensor [K, ...] in state_dict order (the
// trainable ones windows of one [K, P] matrix), the optimizer's moments, its step count and each
// model's random stream.
struct PopulationState
{
    std::vector<at::Tensor> &params, &moment1, &moment2;
    int64_t &step;
    std::vector<at::Generator> &generators;
};
// The parameters as flattened rows, a model per row; and back, with the optimizer started afresh.
std::vector<float> flattenParameters(const std::vector<at::Tensor> &params, int64_t models);
void setParameters(PopulationState state, const std::vector<float> &rows, int64_t models);
// Everything needed to continue exactly; loading throws FormatError naming `label` when the
// state does not fit.
StateDict savePopulationState(PopulationState state);
void loadPopulationState(PopulationState state, const StateDict &saved, const std::string &label);

// A dataset's images [N, C, H, W] and labels [N], on its memory (no copy).
at::Tensor imagesOf(const ImageDataset &set);
at::Tensor labelsOf(const ImageDataset &set);

// A tensor as a state-dict entry (float32, int64 or uint8), and back: entry `key` of `state` as a
// tensor like `like` (shape, type, device); throws FormatError naming `label` when it is missing
// or shaped otherwise.
TensorBuffer toBuffer(const at::Tensor &tensor);
at::Tensor fromBuffer(const StateDict &state, const std::string &key, const at::Tensor &like, const std::string &label);

} // namespace wse
