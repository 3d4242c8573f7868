#pragma once
// Checkpoints in, SANE latents out (and back): standardise + tokenise (TokenLayout), run the
// encoder over the whole sequence (sane-spec §6.1, the official probe embedding) or in halo
// windows (bounded memory for long sequences), decode latents to checkpoints.
#include "sane/encoderfile.h"
#include "sane/sanemodel.h"
#include "sane/tokenlayout.h"

#include <memory>
#include <string>
#include <vector>

namespace wse {

class CpuInferenceThreads;
class CpuInferenceThreads;
class NeuronPermuter;

struct EmbedOptions
{
    std::string mode = "full"; // full: one pass over all tokens; windowed: halo chunks
    int64_t content = 0;       // windowed: content tokens per chunk (0: half the training window)
    int64_t halo = -1;         // windowed: context tokens on each side (-1: a quarter of the window)
    int64_t batchTokens = 0;   // tokens per forward pass (several checkpoints or chunks); 0: 4096 on CPU (for each core), 65536 on CUDA
    std::string device = "auto";
    std::string precision = "fp32"; // or "bf16": mixed precision (CUDA; on CPU only where it has bf16 units)
    // auto: align each checkpoint to the encoder's reference (weight matching) when the encoder was
    // trained on an aligned zoo; reference: always (an error without one); none: never.
    std::string align = "auto";

    static EmbedOptions defaults() { return {}; }
};

class SaneEmbedder
{
public:
    // `architecture` is the checkpoints' layout; it must match the encoder's reference layout
    // when the encoder has one (UsageError naming the first difference).
    SaneEmbedder(const SaneEncoder &encoder, const Architecture &architecture, const EmbedOptions &options);
    ~SaneEmbedder();

    const TokenLayout &layout() const { return *mLayout; }
    int64_t batchTokens() const; // per call: the option (resolved, never 0) for each CPU worker
    SaneModel &model() { return *mModel; }
    int64_t latentSize() const;

    // Per-token latents [count, N, d_z] of `count` flattened checkpoints.
    std::vector<float> latents(const float *rows, int64_t count);
    // Model embeddings [count, d_z]: the mean of the per-token latents.
    std::vector<float> embed(const float *rows, int64_t count);
    // Latents [count, N, d_z] -> flattened checkpoints written into `rows` (which hold the values
    // for anything SANE does not tokenise, e.g. the reference's batch-norm statistics).
    void decode(const std::vector<float> &latents, int64_t count, float *rows);

private:
    std::vector<float> run(const std::vector<float> &input, int64_t count, int64_t width, bool encoding);
    std::vector<float> runModel(const std::vector<float> &input, const std::vector<int32_t> &positions, int64_t batch,
                                int64_t length, int64_t width, bool encoding);

    EmbedOptions mOptions;
    std::unique_ptr<TokenLayout> mLayout;
    std::unique_ptr<NeuronPermuter> mAligner; // set when checkpoints are aligned first
    std::vector<float> mReference;
    std::unique_ptr<SaneModel> mModel;
    std::unique_ptr<CpuInferenceThreads> mThreads; // for the embedder's life, not per call: switching costs
};

// Tokens per encoder call when EmbedOptions::batchTokens is 0, for a resolved device.
int64_t defaultBatchTokens(const std::string &device);

// The first layout difference between two architectures ("" when they match in shapes).
std::string layoutDifference(const Architecture &expected, const Architecture &given);

} // namespace wse
