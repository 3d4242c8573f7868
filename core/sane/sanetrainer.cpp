#include "sane/sanetrainer.h"

#include "common/crashpoint.h"
#include "common/error.h"
#include "common/textfile.h"
#include "jobs/progress.h"
#include "sane/encoderfile.h"
#include "sane/sanedata.h"
#include "sane/sanemodel.h"
#include "sane/permutation.h"
#include "torchutil/device.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>

namespace wse {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// torch.optim.lr_scheduler.OneCycleLR (cosine, pct_start 0.3, div 25, final div 1e4) with
// momentum cycling, which for AdamW moves beta1 between 0.95 and 0.85.
struct OneCycle
{
    double maxLr;
    int64_t total;

    static double anneal(double start, double end, double pct) { return end + (start - end) / 2.0 * (1.0 + std::cos(M_PI * pct)); }
    std::pair<double, double> at(int64_t step) const // (lr, beta1)
    {
        const double initial = maxLr / 25.0, minimum = initial / 1e4;
        const double phase1 = 0.3 * double(total) - 1.0, phase2 = double(total) - 1.0;
        if (double(step) <= phase1) {
            const double pct = phase1 > 0 ? double(step) / phase1 : 1.0;
            return {anneal(initial, maxLr, pct), anneal(0.95, 0.85, pct)};
        }
        const double pct = std::min(1.0, (double(step) - phase1) / std::max(1.0, phase2 - phase1));
        return {anneal(maxLr, minimum, pct), anneal(0.85, 0.95, pct)};
    }
};

json logToJson(const std::vector<SaneEpochLog> &log)
{
    json j = json::array();
    for (const SaneEpochLog &e : log)
        j.push_back({{"epoch", e.epoch}, {"loss", e.loss}, {"loss_recon", e.reconstruction}, {"loss_contrast", e.contrastive},
                     {"val_loss", e.valLoss}, {"val_loss_recon", e.valReconstruction},
                     {"val_loss_contrast", e.valContrastive}, {"lr", e.learningRate}, {"seconds", e.seconds}});
    return j;
}

// The official params.json keys of this configuration (for tools that read official runs).
json officialParams(const SaneConfig &c)
{
    return {{"ae:i_dim", c.tokenSize}, {"ae:d_model", c.dModel}, {"ae:nhead", c.heads}, {"ae:num_layers", c.layers},
            {"ae:lat_dim", c.latent}, {"ae:max_positions", c.maxPositions}, {"ae:dropout", c.dropout},
            {"ae:transformer_type", "gpt2"}, {"training::windowsize", c.windowSize}, {"training::gamma", c.gamma},
            {"training::temperature", c.temperature}, {"optim::lr", c.learningRate}, {"optim::wd", c.weightDecay},
            {"optim::optimizer", "adamw"}, {"optim::scheduler", "OneCycleLR"}, {"trainset::batchsize", c.batchSize},
            {"training::epochs_train", c.epochs}, {"trainset::add_noise_view_1", c.noise},
            {"trainset::add_noise_view_2", c.noise}, {"seed", c.seed}};
}

// Window [start, start + w) of the given sequences ([count, n, dt] each) into one batch buffer.
std::vector<float> gatherWindow(const float *sequences, const std::vector<int64_t> &samples, int64_t n, int64_t dt,
                                int64_t start, int64_t w)
{
    std::vector<float> out(samples.size() * size_t(w * dt));
    for (size_t i = 0; i < samples.size(); ++i)
        std::copy_n(sequences + (samples[i] * n + start) * dt, w * dt, out.begin() + int64_t(i) * w * dt);
    return out;
}

} // namespace

namespace {

std::vector<SaneEpochLog> logFromJson(const std::string &text, const std::string &path)
{
    std::vector<SaneEpochLog> log;
    try {
        for (const json &e : json::parse(text)) {
            SaneEpochLog entry;
            entry.epoch = e.at("epoch");
            entry.loss = e.at("loss");
            entry.reconstruction = e.at("loss_recon");
            entry.contrastive = e.at("loss_contrast");
            entry.valLoss = e.at("val_loss");
            entry.valReconstruction = e.at("val_loss_recon");
            entry.valContrastive = e.at("val_loss_contrast");
            entry.learningRate = e.at("lr");
            entry.seconds = e.at("seconds");
            log.push_back(entry);
        }
    } catch (const json::exception &error) {
        throw FormatError(path, std::string("training log: ") + error.what());
    }
    return log;
}

// The epochs done so far, from the training state, which holds the log of the epochs whose weights
// it saved (log.json, written after it, can lag one epoch behind after a kill). A state written
// before the log was kept in it falls back to log.json. No state: a fresh start.
std::vector<SaneEpochLog> resumeFromState(SaneModel &model, const std::string &statePath, const std::string &runDir)
{
    if (!fs::exists(statePath))
        return {};
    const std::string progress = model.loadTrainingState(statePath);
    if (!progress.empty())
        return logFromJson(progress, statePath);
    std::vector<SaneEpochLog> log = readSaneLog(runDir);
    if (log.empty())
        throw FormatError(statePath, "training state without a training log (log.json) to say how far it got; "
                                     "remove the state to start over");
    return log;
}

} // namespace

std::vector<SaneEpochLog> readSaneLog(const std::string &runDir)
{
    const std::string path = (fs::path(runDir) / "log.json").string();
    if (!fs::exists(path))
        return {};
    return logFromJson(readTextFile(path), path);
}

std::vector<SaneEpochLog> trainSane(const SaneTrainOptions &options, ProgressReporter *progress)
{
    useAllCores();
    const std::string device = resolveDevice(options.device);
    SaneConfig config = options.config;
    SaneZooData data = loadSaneZooData(options.zooPath, config, progress);
    config.validate();
    const int64_t n = data.layout->length(), dt = config.tokenSize, w = config.windowSize;
    const int64_t batch = std::min<int64_t>(config.batchSize, data.trainCount);
    if (batch < 2)
        throw UsageError("SANE training needs at least 2 training checkpoints per batch (the contrastive loss compares pairs)");

    fs::create_directories(options.runDir);
    const std::string configPath = (fs::path(options.runDir) / "config.json").string();
    const std::string statePath = (fs::path(options.runDir) / "training_state.pt").string();
    // Compared as settings, not as text: a run made before a setting existed has its default.
    if (fs::exists(configPath) && SaneConfig::fromJson(readTextFile(configPath), configPath).toJson() != config.toJson())
        throw UsageError(options.runDir + " holds a run with a different configuration (see its config.json); "
                                          "choose another folder or remove it");
    writeTextFile(configPath, config.toJson());
    writeTextFile((fs::path(options.runDir) / "params.json").string(), officialParams(config).dump(1));
    writeTextFile((fs::path(options.runDir) / "dataset_normalization_train.json").string(),
                        data.normalization.toOfficialJson());

    SaneModel model(config, device);
    model.setPrecision(options.precision);
    std::vector<SaneEpochLog> log = resumeFromState(model, statePath, options.runDir);

    const std::vector<float> mask(data.layout->mask().begin(), data.layout->mask().end());
    const std::vector<int32_t> &positions = data.layout->positions();
    auto windowBatch = [&](const float *tokens, const std::vector<int64_t> &samples, int64_t start,
                           const std::vector<float> *second) {
        SaneBatch b;
        b.tokens = tokens;
        b.secondTokens = second ? second->data() : nullptr;
        b.mask = mask.data() + start * dt;
        b.positions = positions.data() + start * 3;
        b.batch = int64_t(samples.size());
        b.window = w;
        return b;
    };

    // Permuted second views: fresh neuron orders of the raw weights, tokenised on the fly.
    std::unique_ptr<NeuronPermuter> permuter;
    if (config.permuteView)
        permuter = std::make_unique<NeuronPermuter>(data.architecture);
    const int64_t rowSize = data.architecture.numel();
    auto permutedWindow = [&](const std::vector<int64_t> &samples, int64_t start, std::mt19937_64 &random) {
        std::vector<float> tokens(samples.size() * size_t(n * dt)), row(static_cast<size_t>(rowSize));
        for (size_t i = 0; i < samples.size(); ++i) {
            std::copy_n(data.trainWeights.begin() + samples[i] * rowSize, rowSize, row.begin());
            permuter->permute(row.data(), random);
            data.layout->tokens(row.data(), tokens.data() + int64_t(i) * n * dt);
        }
        std::vector<int64_t> all(samples.size());
        std::iota(all.begin(), all.end(), 0);
        return gatherWindow(tokens.data(), all, n, dt, start, w);
    };

    const int64_t stepsPerEpoch = data.trainCount / batch; // drop_last, as the official loader
    const OneCycle schedule{config.learningRate, int64_t(config.epochs) * stepsPerEpoch};
    const int firstEpoch = log.empty() ? 1 : log.back().epoch + 1;

    auto evaluate = [&](SaneEpochLog &entry) {
        const int64_t evalBatch = std::min<int64_t>(batch, data.valCount);
        if (evalBatch < 2)
            return;
        model.seedNoise(uint64_t(config.seed) * 7919u); // the same windows and noise every epoch
        SaneLosses sum;
        int64_t batches = 0;
        for (int64_t first = 0; first + evalBatch <= data.valCount; first += evalBatch, ++batches) {
            const int64_t start = model.randomBelow(n - w + 1);
            std::vector<int64_t> samples(static_cast<size_t>(evalBatch));
            std::iota(samples.begin(), samples.end(), first);
            const std::vector<float> x = gatherWindow(data.valTokens.data(), samples, n, dt, start, w);
            const SaneLosses l = model.evaluateBatch(windowBatch(x.data(), samples, start, nullptr));
            sum.total += l.total;
            sum.reconstruction += l.reconstruction;
            sum.contrastive += l.contrastive;
        }
        entry.valLoss = sum.total / double(batches);
        entry.valReconstruction = sum.reconstruction / double(batches);
        entry.valContrastive = sum.contrastive / double(batches);
    };

    auto saveEncoder = [&](const std::string &path, int epoch) {
        SaneEncoder encoder;
        encoder.config = config;
        encoder.normalization = data.normalization;
        encoder.architecture = data.architecture;
        encoder.reference = data.reference;
        encoder.weights = model.stateDict();
        json split;
        for (const auto &[id, name] : data.split)
            split[name].push_back(id);
        encoder.provenance = json{{"trained_on", options.zooPath}, {"epochs", epoch}, {"split", split}}.dump();
        fs::create_directories(fs::path(path).parent_path());
        encoder.write(path);
    };

    // What a finished epoch leaves beside the state; all of it is made again from the state on resume,
    // in case the run was killed before it was written.
    auto saveEpochOutputs = [&](int epoch) {
        writeTextFile((fs::path(options.runDir) / "log.json").string(), logToJson(log).dump(1));
        if (epoch % std::max(1, config.checkpointEvery) == 0 || epoch == config.epochs) {
            char folder[32];
            std::snprintf(folder, sizeof folder, "checkpoint_%06d", epoch);
            saveEncoder((fs::path(options.runDir) / folder / "encoder.pt").string(), epoch);
        }
        saveEncoder((fs::path(options.runDir) / "encoder.pt").string(), epoch);
    };
    if (!log.empty())
        saveEpochOutputs(log.back().epoch);

    for (int epoch = firstEpoch; epoch <= config.epochs; ++epoch) {
        const auto started = std::chrono::steady_clock::now();
        const uint64_t epochSeed = uint64_t(config.seed) * 1000003u + uint64_t(epoch); // resumable: the epoch fixes the streams
        model.seedNoise(epochSeed);
        std::mt19937_64 permutationRandom{epochSeed};
        const std::vector<int64_t> order = model.randomOrder(data.trainCount);
        SaneEpochLog entry;
        entry.epoch = epoch;
        for (int64_t step = 0; step < stepsPerEpoch; ++step) {
            const auto [lr, beta1] = schedule.at(int64_t(epoch - 1) * stepsPerEpoch + step);
            const int64_t start = model.randomBelow(n - w + 1); // one window per batch
            const std::vector<int64_t> samples(order.begin() + step * batch, order.begin() + (step + 1) * batch);
            const std::vector<float> x = gatherWindow(data.trainTokens.data(), samples, n, dt, start, w);
            std::vector<float> x2;
            if (permuter)
                x2 = permutedWindow(samples, start, permutationRandom);
            const SaneLosses l = model.trainStep(windowBatch(x.data(), samples, start, permuter ? &x2 : nullptr), lr, beta1);
            entry.loss += l.total;
            entry.reconstruction += l.reconstruction;
            entry.contrastive += l.contrastive;
            entry.learningRate = lr;
            if (progress) {
                const double done = (double(epoch - 1) + double(step + 1) / double(stepsPerEpoch)) / double(config.epochs);
                char detail[128];
                std::snprintf(detail, sizeof detail, "loss %.4f (recon %.4f, contrast %.3f)", entry.loss / double(step + 1),
                              entry.reconstruction / double(step + 1), entry.contrastive / double(step + 1));
                progress->report(done, "epoch " + std::to_string(epoch) + "/" + std::to_string(config.epochs), detail);
            }
        }
        entry.loss /= double(stepsPerEpoch);
        entry.reconstruction /= double(stepsPerEpoch);
        entry.contrastive /= double(stepsPerEpoch);
        evaluate(entry);
        entry.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        log.push_back(entry);
        // The state carries the log of the epochs it holds: one atomic write, so a kill at any
        // instant resumes from an epoch boundary whose weights and log agree.
        model.saveTrainingState(statePath, logToJson(log).dump());
        crashPoint("sane-state-saved");
        saveEpochOutputs(epoch);
        crashPoint("sane-epoch-saved");
    }
    return log;
}

} // namespace wse
