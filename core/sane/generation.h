#pragma once
// What sampling and decoding share: the zoo and encoder they read, choosing checkpoints, the
// networks' recipe (dataset, activation, optimizer settings), evaluation of decoded weights on
// the zoo's own data, and the zoo file the generated networks are written to.
#include "sane/encoderfile.h"
#include "training/populationtrainer.h"
#include "training/zootrainer.h"
#include "zoo/zoo.h"

#include <string>
#include <vector>

namespace wse {

struct GenerationSource
{
    SaneEncoder encoder;
    Zoo zoo;             // without weights
    std::string zooPath;
    ZooTrainOptions recipe;
    int architecture = -1; // the zoo architecture the encoder reads

    // Throws UsageError when the zoo has no training recipe (networks could not be evaluated) or
    // no architecture with the encoder's layout.
    static GenerationSource open(const std::string &encoderPath, const std::string &zooPath);
    // The zoo and its recipe without an encoder (pruning); `architecture` is left for the caller.
    static GenerationSource openZoo(const std::string &zooPath);
    const Architecture &arch() const { return zoo.architectures[size_t(architecture)]; }

    // Finite checkpoints of the architecture matching a filter expression (all when empty); their
    // flattened weights go to `rows` when given (they are read to check them anyway).
    std::vector<int64_t> select(const std::string &expression, std::vector<float> *rows = nullptr) const;
    // "MODEL:EPOCH" -> checkpoint index; UsageError naming what is missing.
    int64_t checkpoint(const std::string &modelAndEpoch) const;
    // Flattened weights of checkpoints, one row each.
    std::vector<float> rows(const std::vector<int64_t> &checkpoints) const;
    // The one value of a model column shared by the checkpoints; UsageError naming the mix.
    std::string sharedValue(const std::vector<int64_t> &checkpoints, const std::string &column) const;
    // The training settings of a checkpoint's model, under a new id and seed.
    ModelConfig configOf(int64_t checkpoint, const std::string &id, int64_t seed) const;
};

struct NetworkEvaluation
{
    std::vector<ModelMetrics> metrics;      // train and test
    std::vector<double> validationAccuracy; // for choosing among generated networks
};

// The zoo's data for one dataset; the validation split is cut to the zoo's test size for quick zoos.
ZooDatasetSetup generationData(const GenerationSource &source, const std::string &dataset);

// Evaluates networks given as flattened rows (configs share activation and batch size). Networks
// with BatchNorm are conditioned first (`bnIterations` passes, sane-spec §8.5): their re-estimated
// running statistics are written back into `rows`.
NetworkEvaluation evaluateNetworks(const ZooDatasetSetup &setup, const std::vector<ModelConfig> &configs,
                                   std::vector<float> &rows, const std::string &device, int64_t bnIterations);

// A zoo of generated networks: one model row each (with provenance columns), checkpoints per epoch.
class GeneratedZoo
{
public:
    // `provenance`: a JSON object saying how the networks were made; the source zoo's own provenance
    // (how its networks were trained) is added to it as "recipe".
    GeneratedZoo(const GenerationSource &source, const std::string &name, const std::string &provenance);
    void addModel(const std::vector<std::pair<std::string, Table::Value>> &columns);
    void addCheckpoint(int64_t model, int epoch, const float *weights, const ModelMetrics &metrics, double validationAccuracy);
    void write(const std::string &path) const;

private:
    Zoo mZoo;
};

} // namespace wse
