#pragma once
// A SANE network ready to run (torch hidden): encode token windows to per-token latents, decode
// latents back to tokens, and take training steps, on the CPU or a CUDA device.
#include "checkpoint/statedict.h"
#include "sane/saneconfig.h"

#include <memory>
#include <string>
#include <vector>

namespace wse {

struct SaneEncoder;

// One training or validation batch: a window of `batch` token sequences in host memory.
struct SaneBatch
{
    const float *tokens = nullptr;       // [batch, window, d_t], the clean first view
    const float *secondTokens = nullptr; // the same shape (a permuted model), or null: the same model
    const float *mask = nullptr;         // [window, d_t], 1 on real values
    const int32_t *positions = nullptr;  // [window, 3]
    int64_t batch = 0, window = 0;
};

struct SaneLosses
{
    double total = 0, reconstruction = 0, contrastive = 0;
};

class ProcessGroup;

class SaneModel
{
public:
    // A freshly initialised network (official initialisation, seeded with config.seed).
    SaneModel(const SaneConfig &config, const std::string &device);
    // The encoder's weights; throws FormatError when they do not fit its configuration.
    SaneModel(const SaneEncoder &encoder, const std::string &device);
    ~SaneModel();
    SaneModel(const SaneModel &) = delete;
    SaneModel &operator=(const SaneModel &) = delete;

    const SaneConfig &config() const;
    const std::string &device() const;
    // "fp32" (default) or "bf16": mixed precision for encode, decode and training steps
    // (torch.autocast semantics; weights stay float32). Throws UsageError for another name.
    void setPrecision(const std::string &precision);
    const std::string &precision() const;

    // Several threads may encode and decode at once (no training steps meanwhile).
    // tokens [batch, length, d_t] and positions [batch, length, 3] -> latents [batch, length, d_z].
    std::vector<float> encode(const std::vector<float> &tokens, const std::vector<int32_t> &positions, int64_t batch,
                              int64_t length);
    // latents [batch, length, d_z] -> tokens [batch, length, d_t].
    std::vector<float> decode(const std::vector<float> &latents, const std::vector<int32_t> &positions, int64_t batch,
                              int64_t length);

    StateDict stateDict() const;

    // Training (sane-spec §5.3-5.4): both views get multiplicative noise (config.noise); the loss is
    // gamma * NT-Xent(projections) + (1 - gamma) * MSE(mask * reconstruction, noised input).
    // The first step creates AdamW with weight decay on matrices only; the caller's schedule sets
    // the learning rate and beta1 of every step.
    SaneLosses trainStep(const SaneBatch &batch, double learningRate, double beta1);
    SaneLosses evaluateBatch(const SaneBatch &batch); // no gradient, evaluation mode
    // Data-parallel training steps with the group's other processes (null: alone): the first
    // process's weights are shared now; each step then takes this process's share of the batch it
    // is given (the global batch) and adds up the gradients, so that the steps are one process's.
    void trainWith(ProcessGroup *group);
    // Seeds the generator of the noise, and of the draws below: one seed fixes a whole epoch
    // (data order, windows, noise), which is what makes training resumable to the same result.
    void seedNoise(uint64_t seed);
    std::vector<int64_t> randomOrder(int64_t count); // a random permutation of 0..count-1
    int64_t randomBelow(int64_t upper);              // uniform in [0, upper)
    // Weights, optimizer moments and the caller's `progress` (what is done, e.g. the epochs' log) in
    // one atomic write, so that a kill at any instant leaves a state and a progress that agree.
    // load throws on a mismatch and returns the progress saved with the state ("" for a state
    // written before progress was kept in it).
    void saveTrainingState(const std::string &path, const std::string &progress);
    std::string loadTrainingState(const std::string &path);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace wse
