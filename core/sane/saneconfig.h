#pragma once
// Hyper-parameters of a SANE model and its training (sane-spec §4.1, §5), with the presets
// users start from and the mapping to the official params.json keys ("ae:d_model", ...).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct SaneConfig
{
    // Model (§4.1).
    int64_t tokenSize = 201;    // ae:i_dim, d_t
    int64_t dModel = 512;       // ae:d_model
    int64_t heads = 8;          // ae:nhead
    int64_t layers = 6;         // ae:num_layers (per encoder and per decoder)
    int64_t latent = 16;        // ae:lat_dim, d_z
    // ae:max_positions: table sizes for (n, l, k). 0 = sized from the training data.
    std::array<int64_t, 3> maxPositions = {0, 0, 0};
    int64_t windowSize = 16;    // training::windowsize (also the projection head's input length)
    double dropout = 0.0;       // ae:dropout
    int64_t headDim = 30;       // projection head width (fixed in the official code)

    // Data (§2).
    bool includeBatchNorm = false; // tokenise BN parameters (official ignore_bn = false)
    bool align = false;            // align every model to a reference by weight matching first
                                   // (official map_to_canonical; CNN-s, CNN-l, MLP)

    // Training (§5).
    double gamma = 0.05;        // training::gamma: weight of the contrastive loss
    double temperature = 0.1;   // training::temperature
    double noise = 0.1;         // multiplicative noise sigma of both views
    bool permuteView = false;   // view 2 is a random neuron permutation of the model (the shipped
                                // official training configurations use two canonical views)
    double learningRate = 1e-4; // optim::lr (OneCycle max)
    double weightDecay = 3e-9;  // optim::wd
    int64_t batchSize = 32;     // trainset::batchsize
    int epochs = 50;            // training::epochs_train
    int checkpointEvery = 25;   // training::output_epoch
    int64_t seed = 32;
    std::array<double, 3> split = {0.7, 0.15, 0.15}; // by model

    static SaneConfig preset(const std::string &name); // throws UsageError for unknown names
    static std::vector<std::string> presetNames();     // official-cnn, official-resnet, small, tiny

    // Sets one field by its name in toJson(), e.g. "layers=4" values; throws UsageError naming it.
    void set(const std::string &key, const std::string &value);
    std::string toJson() const;
    static SaneConfig fromJson(const std::string &text, const std::string &label);
    // An official SANE params.json (keys "ae:i_dim", "training::windowsize", ...); keys it lacks
    // keep the code defaults. Throws FormatError naming `label`.
    static SaneConfig fromOfficialParams(const std::string &text, const std::string &label);

    // Throws UsageError when the numbers cannot make a model (heads not dividing d_model, ...).
    void validate() const;
    int64_t parameterCount() const; // of the model as built, projection head included
};

} // namespace wse
