#include "sane/sanetrainer.h"

#include "distributed/distributed.h"

#include "common/crashpoint.h"
#include "common/error.h"
#include "common/jsonread.h"
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
        throw FormatError(path, std::string("training log: ") + jsonread::describe(error));
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

namespace {

// One SANE training run: its folder, data, model and log, trained epoch by epoch. Every epoch
// fixes its own random streams, so a run resumed from its saved state continues exactly.
class SaneRun
{
public:
    SaneRun(const SaneTrainOptions &options, ProgressReporter *progress, ProcessGroup *group);
    std::vector<SaneEpochLog> train();

private:
    void prepareFolder();
    SaneBatch windowBatch(const float *tokens, int64_t count, int64_t start, const std::vector<float> *second) const;
    // A second view of each sample: a fresh neuron order of its raw weights, tokenised on the fly.
    std::vector<float> permutedWindow(const std::vector<int64_t> &samples, int64_t start, std::mt19937_64 &random) const;
    SaneEpochLog trainEpoch(int epoch, const OneCycle &schedule);
    void reportStep(int epoch, int64_t step, const SaneEpochLog &sums) const;
    void evaluate(SaneEpochLog &entry);
    void saveEncoder(const std::string &path, int epoch) const;
    // What a finished epoch leaves beside the state; all of it is made again from the state on
    // resume, in case the run was killed before it was written.
    void saveEpochOutputs(int epoch) const;

    const SaneTrainOptions &mOptions;
    ProgressReporter *mProgress;
    ProcessGroup *mGroup;
    bool mWrites = true; // the first (or only) process writes the run folder
    std::string mDevice;
    SaneConfig mConfig;
    SaneZooData mData;
    int64_t mTokens = 0, mTokenSize = 0, mWindow = 0, mBatch = 0, mStepsPerEpoch = 0;
    std::string mStatePath;
    std::unique_ptr<SaneModel> mModel;
    std::unique_ptr<NeuronPermuter> mPermuter;
    std::vector<float> mMask;
    std::vector<SaneEpochLog> mLog;
};

SaneRun::SaneRun(const SaneTrainOptions &options, ProgressReporter *progress, ProcessGroup *group)
    : mOptions(options), mProgress(progress), mGroup(group), mWrites(!group || group->rank() == 0), mDevice((useAllCores(), resolveDevice(options.device))),
      mConfig(options.config), mData(loadSaneZooData(options.zooPath, mConfig, progress))
{
    mConfig.validate();
    mTokens = mData.layout->length();
    mTokenSize = mConfig.tokenSize;
    mWindow = mConfig.windowSize;
    mBatch = std::min<int64_t>(mConfig.batchSize, mData.trainCount);
    if (mBatch < 2)
        throw UsageError("SANE training needs at least 2 training checkpoints per batch (the contrastive loss compares pairs)");
    mStepsPerEpoch = mData.trainCount / mBatch; // drop_last, as the official loader
    mStatePath = (fs::path(options.runDir) / "training_state.pt").string();
    prepareFolder();
    mModel = std::make_unique<SaneModel>(mConfig, mDevice);
    mModel->setPrecision(options.precision);
    mLog = resumeFromState(*mModel, mStatePath, options.runDir);
    mModel->trainWith(group);
    mMask.assign(mData.layout->mask().begin(), mData.layout->mask().end());
    if (mConfig.permuteView)
        mPermuter = std::make_unique<NeuronPermuter>(mData.architecture);
}

void SaneRun::prepareFolder()
{
    if (!mWrites)
        return;
    fs::create_directories(mOptions.runDir);
    const std::string configPath = (fs::path(mOptions.runDir) / "config.json").string();
    // Compared as settings, not as text: a run made before a setting existed has its default.
    if (fs::exists(configPath) && SaneConfig::fromJson(readTextFile(configPath), configPath).toJson() != mConfig.toJson())
        throw UsageError(mOptions.runDir + " holds a run with a different configuration (see its config.json); "
                                           "choose another folder or remove it");
    writeTextFile(configPath, mConfig.toJson());
    writeTextFile((fs::path(mOptions.runDir) / "params.json").string(), officialParams(mConfig).dump(1));
    writeTextFile((fs::path(mOptions.runDir) / "dataset_normalization_train.json").string(),
                  mData.normalization.toOfficialJson());
}

SaneBatch SaneRun::windowBatch(const float *tokens, int64_t count, int64_t start, const std::vector<float> *second) const
{
    SaneBatch b;
    b.tokens = tokens;
    b.secondTokens = second ? second->data() : nullptr;
    b.mask = mMask.data() + start * mTokenSize;
    b.positions = mData.layout->positions().data() + start * 3;
    b.batch = count;
    b.window = mWindow;
    return b;
}

std::vector<float> SaneRun::permutedWindow(const std::vector<int64_t> &samples, int64_t start, std::mt19937_64 &random) const
{
    const int64_t rowSize = mData.architecture.numel();
    std::vector<float> tokens(samples.size() * size_t(mTokens * mTokenSize)), row(static_cast<size_t>(rowSize));
    for (size_t i = 0; i < samples.size(); ++i) {
        std::copy_n(mData.trainWeights.begin() + samples[i] * rowSize, rowSize, row.begin());
        mPermuter->permute(row.data(), random);
        mData.layout->tokens(row.data(), tokens.data() + int64_t(i) * mTokens * mTokenSize);
    }
    std::vector<int64_t> all(samples.size());
    std::iota(all.begin(), all.end(), 0);
    return gatherWindow(tokens.data(), all, mTokens, mTokenSize, start, mWindow);
}

void SaneRun::evaluate(SaneEpochLog &entry)
{
    const int64_t evalBatch = std::min<int64_t>(mBatch, mData.valCount);
    if (evalBatch < 2)
        return;
    mModel->seedNoise(uint64_t(mConfig.seed) * 7919u); // the same windows and noise every epoch
    SaneLosses sum;
    int64_t batches = 0;
    for (int64_t first = 0; first + evalBatch <= mData.valCount; first += evalBatch, ++batches) {
        const int64_t start = mModel->randomBelow(mTokens - mWindow + 1);
        std::vector<int64_t> samples(static_cast<size_t>(evalBatch));
        std::iota(samples.begin(), samples.end(), first);
        const std::vector<float> x = gatherWindow(mData.valTokens.data(), samples, mTokens, mTokenSize, start, mWindow);
        const SaneLosses l = mModel->evaluateBatch(windowBatch(x.data(), evalBatch, start, nullptr));
        sum.total += l.total;
        sum.reconstruction += l.reconstruction;
        sum.contrastive += l.contrastive;
    }
    entry.valLoss = sum.total / double(batches);
    entry.valReconstruction = sum.reconstruction / double(batches);
    entry.valContrastive = sum.contrastive / double(batches);
}

void SaneRun::saveEncoder(const std::string &path, int epoch) const
{
    SaneEncoder encoder;
    encoder.config = mConfig;
    encoder.normalization = mData.normalization;
    encoder.architecture = mData.architecture;
    encoder.reference = mData.reference;
    encoder.weights = mModel->stateDict();
    json split;
    for (const auto &[id, name] : mData.split)
        split[name].push_back(id);
    encoder.provenance = json{{"trained_on", mOptions.zooPath}, {"epochs", epoch}, {"split", split}}.dump();
    fs::create_directories(fs::path(path).parent_path());
    encoder.write(path);
}

void SaneRun::saveEpochOutputs(int epoch) const
{
    if (!mWrites)
        return;
    writeTextFile((fs::path(mOptions.runDir) / "log.json").string(), logToJson(mLog).dump(1));
    if (epoch % std::max(1, mConfig.checkpointEvery) == 0 || epoch == mConfig.epochs) {
        char folder[32];
        std::snprintf(folder, sizeof folder, "checkpoint_%06d", epoch);
        saveEncoder((fs::path(mOptions.runDir) / folder / "encoder.pt").string(), epoch);
    }
    saveEncoder((fs::path(mOptions.runDir) / "encoder.pt").string(), epoch);
}

void SaneRun::reportStep(int epoch, int64_t step, const SaneEpochLog &sums) const
{
    if (!mProgress)
        return;
    const double done = (double(epoch - 1) + double(step + 1) / double(mStepsPerEpoch)) / double(mConfig.epochs);
    char detail[128];
    std::snprintf(detail, sizeof detail, "loss %.4f (recon %.4f, contrast %.3f)", sums.loss / double(step + 1),
                  sums.reconstruction / double(step + 1), sums.contrastive / double(step + 1));
    mProgress->report(done, "epoch " + std::to_string(epoch) + "/" + std::to_string(mConfig.epochs), detail);
}

SaneEpochLog SaneRun::trainEpoch(int epoch, const OneCycle &schedule)
{
    const uint64_t epochSeed = uint64_t(mConfig.seed) * 1000003u + uint64_t(epoch); // resumable: the epoch fixes the streams
    mModel->seedNoise(epochSeed);
    std::mt19937_64 permutationRandom{epochSeed};
    const std::vector<int64_t> order = mModel->randomOrder(mData.trainCount);
    SaneEpochLog entry;
    entry.epoch = epoch;
    for (int64_t step = 0; step < mStepsPerEpoch; ++step) {
        const auto [lr, beta1] = schedule.at(int64_t(epoch - 1) * mStepsPerEpoch + step);
        const int64_t start = mModel->randomBelow(mTokens - mWindow + 1); // one window per batch
        const std::vector<int64_t> samples(order.begin() + step * mBatch, order.begin() + (step + 1) * mBatch);
        const std::vector<float> x = gatherWindow(mData.trainTokens.data(), samples, mTokens, mTokenSize, start, mWindow);
        std::vector<float> x2;
        if (mPermuter)
            x2 = permutedWindow(samples, start, permutationRandom);
        const SaneLosses l =
            mModel->trainStep(windowBatch(x.data(), int64_t(samples.size()), start, mPermuter ? &x2 : nullptr), lr, beta1);
        entry.loss += l.total;
        entry.reconstruction += l.reconstruction;
        entry.contrastive += l.contrastive;
        entry.learningRate = lr;
        reportStep(epoch, step, entry);
    }
    entry.loss /= double(mStepsPerEpoch);
    entry.reconstruction /= double(mStepsPerEpoch);
    entry.contrastive /= double(mStepsPerEpoch);
    return entry;
}

std::vector<SaneEpochLog> SaneRun::train()
{
    const OneCycle schedule{mConfig.learningRate, int64_t(mConfig.epochs) * mStepsPerEpoch};
    const int firstEpoch = mLog.empty() ? 1 : mLog.back().epoch + 1;
    if (!mLog.empty())
        saveEpochOutputs(mLog.back().epoch);
    for (int epoch = firstEpoch; epoch <= mConfig.epochs; ++epoch) {
        const auto started = std::chrono::steady_clock::now();
        SaneEpochLog entry = trainEpoch(epoch, schedule);
        evaluate(entry);
        entry.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        mLog.push_back(entry);
        // The state carries the log of the epochs it holds: one atomic write, so a kill at any
        // instant resumes from an epoch boundary whose weights and log agree.
        if (mWrites)
            mModel->saveTrainingState(mStatePath, logToJson(mLog).dump());
        crashPoint("sane-state-saved");
        saveEpochOutputs(epoch);
        crashPoint("sane-epoch-saved");
    }
    return mLog;
}

} // namespace

std::vector<SaneEpochLog> trainSane(const SaneTrainOptions &options, ProgressReporter *progress, ProcessGroup *group)
{
    return SaneRun(options, progress, group).train();
}

} // namespace wse
