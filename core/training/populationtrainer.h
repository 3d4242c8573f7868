#pragma once
// Trains K models of one network plan and batch size together: every parameter is a [K, ...]
// tensor, convolutions are grouped over the model axis and linear layers are batched matrix
// products, so one step advances all K models. Within a population the models may differ in seed,
// initialisation, activation, optimizer (adam, adamw, sgd), learning rate, weight decay and
// dropout (models with the same activation should be adjacent: one activation call per run).
// Each model keeps its own seed-driven random stream (initialisation, then per epoch its data
// permutation and its dropout masks), so a model trained in a population of K follows the same
// path as the same model trained alone.
#include "checkpoint/statedict.h"
#include "data/imagedataset.h"
#include "training/zootrainoptions.h"
#include "zoo/architecture.h"

#include <memory>
#include <vector>

namespace wse {

class ProgressReporter;

struct ModelMetrics
{
    double trainLoss = 0.0;
    double trainAccuracy = 0.0;
    double testLoss = 0.0;
    double testAccuracy = 0.0;
};

class PopulationTrainer
{
public:
    // All configs must share the batch size. The data must outlive the trainer.
    PopulationTrainer(const NetworkSpec &network, std::vector<ModelConfig> configs, const TrainTestData &data,
                      const std::string &device);
    ~PopulationTrainer();

    int64_t modelCount() const;
    int64_t parameterCount() const; // per model

    // Epoch 0: no training; evaluates on the train and test sets.
    std::vector<ModelMetrics> evaluateInitial();
    // One pass over the training data, then evaluation on the test set. `progress` may be null;
    // it is asked about cancellation between steps.
    std::vector<ModelMetrics> trainEpoch(ProgressReporter *progress, double fractionStart, double fractionSpan,
                                         const std::string &stage);

    // Flattened parameters, one row of parameterCount() floats per model (state_dict order).
    std::vector<float> flatWeights() const;
    // Replaces every model's parameters (rows as flatWeights() returns them), e.g. with decoded
    // or sampled networks; optimizer moments are reset. Throws UsageError on a size mismatch.
    void setFlatWeights(const std::vector<float> &rows);
    // True when the networks have BatchNorm layers (ResNet-18).
    bool hasBatchNorm() const;
    // BatchNorm conditioning of generated networks (sane-spec §8.5 step 6): `iterations` forward
    // passes in training mode over validation batches (the training split when there is none),
    // no gradient and no weight update, so the running statistics are re-estimated (momentum 0.1).
    void conditionBatchNorm(int64_t iterations, int64_t batchSize = 32);
    // Accuracy and loss on the validation split (in the test fields), for selecting models.
    std::vector<ModelMetrics> evaluateValidation();
    // Each model's predicted class on the first `inputs` test images (models x images, row-major).
    std::vector<int32_t> testPredictions(int64_t inputs);
    // Weights that are zero now stay zero through training (a pruned network fine-tuned with its
    // mask): each optimizer step is followed by the mask.
    void keepZeroWeightsZero();

    // Everything needed to continue exactly: parameters, optimizer moments, step count and every
    // model's random stream. loadState() throws FormatError when the state does not fit.
    StateDict saveState() const;
    void loadState(const StateDict &state, const std::string &label);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace wse
