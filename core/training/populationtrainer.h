#pragma once
// Trains K CNN-s models of one activation and one optimizer together: every parameter is a
// [K, ...] tensor, convolutions are grouped over the model axis and linear layers are batched
// matrix products, so one step advances all K models. Each model keeps its own seed-driven
// random stream (initialisation, then one data permutation per epoch), so a model trained in a
// population of K gets the same data order as the same model trained alone.
#include "data/imagedataset.h"
#include "training/zootrainoptions.h"

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
    // All configs must share activation and optimizer. The data must outlive the trainer.
    PopulationTrainer(std::vector<ModelConfig> configs, const TrainTestData &data, int batchSize,
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

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace wse
