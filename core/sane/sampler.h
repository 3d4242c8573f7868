#pragma once
// Generating networks with SANE (sane-spec §8): embed anchor checkpoints chosen by a filter
// expression, draw per-token latents from a Gaussian KDE around them, decode, de-standardise,
// evaluate every sample on the zoo's validation data, keep the best K, optionally fine-tune them,
// and write the result as a zoo file (so it can be explored, compared and exported as .pt).
//
// The KDE follows the official code's effective behaviour: a sample is one anchor (uniformly
// drawn) plus bandwidth * one Gaussian vector shared by all its tokens. Networks with batch norm
// (ResNet-18) have their running statistics re-estimated on training data before they are
// evaluated (`bnConditionIterations` passes, sane-spec §8.5); CNN-s, CNN-l and MLP have none.
#include "sane/saneembedder.h"

#include <string>
#include <vector>

namespace wse {

class ProcessGroup;

class ProgressReporter;

struct SampleOptions
{
    // The most weight values one sampling run holds (count x parameters): 2^31 floats, 8 GB.
    static constexpr int64_t MaxSampledValues = int64_t(1) << 31;
    static constexpr int64_t MaxCount = 1000000; // networks sampled in one run

    std::string encoderPath;
    std::string zooPath;
    std::string anchors;      // filter expression over checkpoint columns; empty = every checkpoint
    std::string output;       // zoo file (.h5) with the samples
    int64_t count = 50;       // samples drawn (N)
    int64_t keep = 10;        // kept by validation accuracy (K)
    double bandwidth = 0.2;   // KDE bandwidth in latent space
    int64_t seed = 42;
    int finetuneEpochs = 0;   // fine-tune the kept samples with their anchors' recipe
    int64_t bnConditionIterations = 200; // BatchNorm re-estimation passes for networks with BN (official example: 200)
    bool provenance = true;   // nearest zoo checkpoints and baselines of every sample (sane/provenance.h)
    // "copy": a control that returns its anchors (neuron-permuted) instead of decoding, so the
    // provenance table shows what a sampler that only copies looks like.
    std::string control;
    EmbedOptions embed;

    static SampleOptions defaults() { return {}; }
    // Everything but the output, as `wse sample --config` reads it (keys: encoder, zoo, anchors,
    // count, keep, bandwidth, seed, finetune_epochs, bn_condition, provenance, control, mode, device, precision).
    std::string toJson() const;
    // Keys not given keep `base`'s values; throws FormatError naming `label` and the bad key.
    static SampleOptions fromJson(const std::string &text, const std::string &label, SampleOptions base);
};

struct SampleReport
{
    int64_t anchors = 0;
    std::string dataset, activation;
    double anchorTestAccuracy = 0;          // mean over the anchors
    double scratchTestAccuracy = 0, scratchStd = 0; // freshly initialised networks, same recipe
    double sampledTestAccuracy = 0, sampledStd = 0; // all N samples, zero-shot
    double keptTestAccuracy = 0, keptStd = 0;       // the K kept, zero-shot
    std::vector<double> finetunedTestAccuracy;      // mean of the kept per fine-tuning epoch
    // The KDE's bandwidth is absolute (the official 0.2 suits the official encoders' latents);
    // against the anchors' own spread (std across anchors of their token-averaged latents, per
    // dimension, averaged) it says whether samples stay near the anchors. 0 with one anchor.
    double bandwidth = 0, latentSpread = 0;
    std::string provenance; // the provenance table of the kept samples (empty when not computed)

    std::string toText() const;
};

// Throws UsageError when no anchor matches, or when the anchors mix datasets or activations (a
// sampled network needs one of each), or the zoo has no training recipe to evaluate with. With a
// group of several processes (torchrun, srun) each evaluates a block of the samples (the same
// draws everywhere: one seed); the first fine-tunes the kept ones and writes the zoo.
SampleReport sampleModels(const SampleOptions &options, ProgressReporter *progress, ProcessGroup *group = nullptr);

} // namespace wse
