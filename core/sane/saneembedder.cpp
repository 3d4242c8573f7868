#include "sane/saneembedder.h"

#include "common/error.h"
#include "common/parallel.h"
#include "sane/halo.h"
#include "sane/permutation.h"
#include "torchutil/device.h"

#include <algorithm>
#include <random>

namespace wse {

std::string layoutDifference(const Architecture &expected, const Architecture &given)
{
    if (expected.tensors.size() != given.tensors.size())
        return std::to_string(given.tensors.size()) + " tensors instead of " + std::to_string(expected.tensors.size());
    for (size_t i = 0; i < expected.tensors.size(); ++i)
        if (expected.tensors[i].shape != given.tensors[i].shape)
            return given.tensors[i].key + " is " + given.tensors[i].shapeText() + " instead of " +
                   expected.tensors[i].shapeText();
    return {};
}

int64_t defaultBatchTokens(const std::string &device)
{
    return device == "cpu" ? 4096 : 65536; // a GPU needs large batches to be busy; a CPU is fastest with cache-sized ones
}

SaneEmbedder::SaneEmbedder(const SaneEncoder &encoder, const Architecture &architecture, const EmbedOptions &options)
    : mOptions(options)
{
    if (!encoder.architecture.tensors.empty()) {
        const std::string difference = layoutDifference(encoder.architecture, architecture);
        if (!difference.empty())
            throw UsageError("the checkpoints (" + architecture.name + ") do not have the layout this encoder was trained on: " +
                             difference);
    }
    if (options.mode != "full" && options.mode != "windowed")
        throw UsageError("embedding mode '" + options.mode + "' is not one of: full, windowed");
    mLayout = std::make_unique<TokenLayout>(architecture, TokenizeOptions{encoder.config.tokenSize, encoder.config.includeBatchNorm},
                                            encoder.normalization);
    if (mLayout->tokenSize() != encoder.config.tokenSize)
        throw UsageError("token size mismatch");
    mModel = std::make_unique<SaneModel>(encoder, options.device);
    mModel->setPrecision(options.precision);
    if (mOptions.batchTokens <= 0)
        mOptions.batchTokens = defaultBatchTokens(mModel->device());
    if (options.align != "auto" && options.align != "none" && options.align != "reference")
        throw UsageError("alignment '" + options.align + "' is not one of: auto, none, reference");
    if (options.align == "reference" && encoder.reference.empty())
        throw UsageError("this encoder has no reference checkpoint to align to (it was not trained with align=true)");
    if (options.align != "none" && !encoder.reference.empty()) {
        mAligner = std::make_unique<NeuronPermuter>(architecture);
        mReference = encoder.reference;
    }
    if (mOptions.content <= 0)
        mOptions.content = std::max<int64_t>(1, encoder.config.windowSize / 2);
    if (mOptions.halo < 0)
        mOptions.halo = encoder.config.windowSize / 4;
    mThreads = std::make_unique<CpuInferenceThreads>(mModel->device(), mModel->precision());
}

SaneEmbedder::~SaneEmbedder() = default;

int64_t SaneEmbedder::batchTokens() const { return mOptions.batchTokens * mThreads->workers(); }

int64_t SaneEmbedder::latentSize() const { return mModel->config().latent; }

// Runs the encoder (or decoder) over [count, N, width] inputs, whole or in halo chunks, several
// sequences/chunks per call, and returns [count, N, out] outputs.
std::vector<float> SaneEmbedder::run(const std::vector<float> &input, int64_t count, int64_t width, bool encoding)
{
    const int64_t n = mLayout->length();
    const int64_t outWidth = encoding ? mModel->config().latent : mModel->config().tokenSize;
    const std::vector<HaloChunk> chunks = mOptions.mode == "full" ? std::vector<HaloChunk>{{0, n, 0, n}}
                                                                  : haloChunks(n, mOptions.content, mOptions.halo);
    const int64_t chunkLength = chunks.front().length;
    // Every (sequence, chunk) pair is one batch entry of the same length.
    const int64_t entries = count * int64_t(chunks.size());
    const int64_t perCall = std::max<int64_t>(1, batchTokens() / chunkLength);
    std::vector<float> output(size_t(count * n * outWidth));
    const std::vector<int32_t> &positions = mLayout->positions();
    for (int64_t first = 0; first < entries; first += perCall) {
        const int64_t batch = std::min(perCall, entries - first);
        std::vector<float> in(size_t(batch * chunkLength * width));
        std::vector<int32_t> pos(size_t(batch * chunkLength * 3));
        for (int64_t b = 0; b < batch; ++b) {
            const int64_t sequence = (first + b) / int64_t(chunks.size());
            const HaloChunk &chunk = chunks[size_t((first + b) % int64_t(chunks.size()))];
            std::copy_n(input.begin() + (sequence * n + chunk.start) * width, chunkLength * width,
                        in.begin() + b * chunkLength * width);
            std::copy_n(positions.begin() + chunk.start * 3, chunkLength * 3, pos.begin() + b * chunkLength * 3);
        }
        const std::vector<float> out = runModel(in, pos, batch, chunkLength, width, encoding);
        for (int64_t b = 0; b < batch; ++b) {
            const int64_t sequence = (first + b) / int64_t(chunks.size());
            const HaloChunk &chunk = chunks[size_t((first + b) % int64_t(chunks.size()))];
            std::copy_n(out.begin() + (b * chunkLength + chunk.keepFrom) * outWidth, chunk.keepCount * outWidth,
                        output.begin() + (sequence * n + chunk.start + chunk.keepFrom) * outWidth);
        }
    }
    return output;
}

// The batch's sequences split among the CPU workers (each a whole forward pass on its share), or
// in one call on a GPU.
std::vector<float> SaneEmbedder::runModel(const std::vector<float> &input, const std::vector<int32_t> &positions,
                                          int64_t batch, int64_t length, int64_t width, bool encoding)
{
    auto pass = [&](const std::vector<float> &in, const std::vector<int32_t> &pos, int64_t count) {
        return encoding ? mModel->encode(in, pos, count, length) : mModel->decode(in, pos, count, length);
    };
    const int64_t workers = std::min<int64_t>(mThreads->workers(), batch);
    if (workers <= 1)
        return pass(input, positions, batch);
    const int64_t outWidth = encoding ? mModel->config().latent : mModel->config().tokenSize;
    std::vector<float> output(size_t(batch * length * outWidth));
    const int64_t share = (batch + workers - 1) / workers;
    parallelFor(workers, [&](int64_t firstWorker, int64_t endWorker) {
        CpuInferenceThreads::enterWorker();
        for (int64_t worker = firstWorker; worker < endWorker; ++worker) {
            const int64_t first = worker * share, count = std::min(share, batch - first);
            if (count <= 0)
                break;
            const std::vector<float> in(input.begin() + first * length * width, input.begin() + (first + count) * length * width);
            const std::vector<int32_t> pos(positions.begin() + first * length * 3, positions.begin() + (first + count) * length * 3);
            const std::vector<float> out = pass(in, pos, count);
            std::copy(out.begin(), out.end(), output.begin() + first * length * outWidth);
        }
    }, 1);
    return output;
}

std::vector<float> SaneEmbedder::latents(const float *rows, int64_t count)
{
    const int64_t n = mLayout->length(), dt = mLayout->tokenSize();
    std::vector<float> tokens(size_t(count * n * dt));
    auto gather = [&](int64_t begin, int64_t end) {
        std::vector<float> aligned;
        for (int64_t i = begin; i < end; ++i) {
            const float *row = rows + i * mLayout->rowSize();
            if (mAligner) {
                aligned.assign(row, row + mLayout->rowSize());
                std::mt19937_64 random(0); // per checkpoint: it aligns the same way in any batch
                mAligner->apply(aligned.data(), mAligner->match(row, mReference.data(), random));
                row = aligned.data();
            }
            mLayout->tokens(row, tokens.data() + i * n * dt);
        }
    };
    if (mModel->device() == "cpu")
        gather(0, count); // the encoder's own threads use the cores better
    else
        parallelFor(count, gather, 16); // a GPU would wait on a one-thread gather

    return run(tokens, count, dt, true);
}

std::vector<float> SaneEmbedder::embed(const float *rows, int64_t count)
{
    const int64_t n = mLayout->length(), dz = latentSize();
    const std::vector<float> z = latents(rows, count);
    std::vector<float> mean(size_t(count * dz), 0.0f);
    for (int64_t i = 0; i < count; ++i)
        for (int64_t t = 0; t < n; ++t)
            for (int64_t c = 0; c < dz; ++c)
                mean[size_t(i * dz + c)] += z[size_t((i * n + t) * dz + c)];
    for (float &v : mean)
        v /= float(n);
    return mean;
}

void SaneEmbedder::decode(const std::vector<float> &latents, int64_t count, float *rows)
{
    const int64_t n = mLayout->length(), dt = mLayout->tokenSize();
    const std::vector<float> tokens = run(latents, count, latentSize(), false);
    for (int64_t i = 0; i < count; ++i)
        mLayout->untokens(tokens.data() + i * n * dt, rows + i * mLayout->rowSize());
}

} // namespace wse
