#include "sane/sanetrainer.h"

#include "common/atomicfile.h"
#include "common/error.h"
#include "common/textfile.h"
#include "jobs/progress.h"
#include "sane/encoderfile.h"
#include "sane/sanedata.h"
#include "sane/sanemodel.h"
#include "sane/sanenet_torch.h"
#include "sane/permutation.h"
#include "torchutil/device.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
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

struct Losses
{
    torch::Tensor total, reconstruction, contrastive;
};

// gamma * NT-Xent(projections) + (1 - gamma) * MSE(mask * reconstruction, noised input) (§5.3).
// `x2`: the second view's clean tokens (a permuted model), or undefined for the same model.
Losses saneLoss(sane::SaneNetImpl &net, const torch::Tensor &x, const torch::Tensor &x2, const torch::Tensor &mask,
                const torch::Tensor &positions, double noise, double gamma, double temperature)
{
    const int64_t B = x.size(0);
    const torch::Tensor xi = x * (1 + noise * torch::randn_like(x));
    const torch::Tensor second = x2.defined() ? x2 : x;
    const torch::Tensor xj = second * (1 + noise * torch::randn_like(second));
    const torch::Tensor both = torch::cat({xi, xj});
    const torch::Tensor p = torch::cat({positions, positions});
    const torch::Tensor z = net.encode(both, p);
    const torch::Tensor y = net.decode(z, p);
    Losses losses;
    losses.reconstruction = (y * mask - both).pow(2).mean();
    const torch::Tensor projections = torch::nn::functional::normalize(
        net.project(z), torch::nn::functional::NormalizeFuncOptions().dim(1));
    torch::Tensor similarity = projections.matmul(projections.t()) / temperature;
    similarity = similarity.masked_fill(torch::eye(2 * B, torch::TensorOptions().dtype(torch::kBool).device(x.device())),
                                        -std::numeric_limits<float>::infinity());
    const torch::Tensor targets = (torch::arange(2 * B, torch::TensorOptions().dtype(torch::kLong).device(x.device())) + B) % (2 * B);
    losses.contrastive = torch::nn::functional::cross_entropy(
                             similarity, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                         double(2 * B);
    losses.total = gamma * losses.contrastive + (1 - gamma) * losses.reconstruction;
    return losses;
}

} // namespace

std::vector<SaneEpochLog> readSaneLog(const std::string &runDir)
{
    std::vector<SaneEpochLog> log;
    const std::string path = (fs::path(runDir) / "log.json").string();
    if (!fs::exists(path))
        return log;
    try {
        for (const json &e : json::parse(readTextFile(path))) {
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
    sane::SaneNetImpl &net = model.net();
    // AdamW: weight decay on matrices and embedding tables only (§5.4).
    std::vector<torch::Tensor> decayed, plain;
    for (const torch::Tensor &p : net.parameters())
        (p.dim() >= 2 ? decayed : plain).push_back(p);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decayed, std::make_unique<torch::optim::AdamWOptions>(
                                     torch::optim::AdamWOptions(config.learningRate).weight_decay(config.weightDecay)));
    groups.emplace_back(plain, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(config.learningRate).weight_decay(0.0)));
    torch::optim::AdamW optimizer(std::move(groups));

    std::vector<SaneEpochLog> log = readSaneLog(options.runDir);
    if (fs::exists(statePath) && !log.empty()) {
        torch::serialize::InputArchive archive;
        archive.load_from(statePath);
        net.load(archive);
        optimizer.load(archive);
    } else {
        log.clear();
    }

    const torch::Tensor trainTokens =
        torch::from_blob(data.trainTokens.data(), {data.trainCount, n, dt}, torch::kFloat32).to(device);
    const torch::Tensor valTokens =
        data.valCount ? torch::from_blob(data.valTokens.data(), {data.valCount, n, dt}, torch::kFloat32).to(device) : torch::Tensor();
    std::vector<float> maskValues(data.layout->mask().begin(), data.layout->mask().end());
    const torch::Tensor mask = torch::from_blob(maskValues.data(), {n, dt}, torch::kFloat32).to(device);
    std::vector<int32_t> positionValues = data.layout->positions();
    const torch::Tensor positions = torch::from_blob(positionValues.data(), {n, 3}, torch::kInt32).to(device, torch::kLong);

    // Permuted second views: fresh neuron orders of the raw weights, tokenised on the fly.
    std::unique_ptr<NeuronPermuter> permuter;
    std::mt19937_64 permutationRandom{static_cast<uint64_t>(config.seed)};
    if (config.permuteView)
        permuter = std::make_unique<NeuronPermuter>(data.architecture);
    const int64_t rowSize = data.architecture.numel();
    auto permutedTokens = [&](const torch::Tensor &picked) {
        const torch::Tensor indices = picked.cpu();
        std::vector<float> tokens(size_t(indices.size(0) * n * dt)), row(static_cast<size_t>(rowSize));
        for (int64_t i = 0; i < indices.size(0); ++i) {
            const int64_t sample = indices[i].item<int64_t>();
            std::copy_n(data.trainWeights.begin() + sample * rowSize, rowSize, row.begin());
            permuter->permute(row.data(), permutationRandom);
            data.layout->tokens(row.data(), tokens.data() + i * n * dt);
        }
        return torch::from_blob(tokens.data(), {indices.size(0), n, dt}, torch::kFloat32).clone().to(device); // the vector dies here
    };

    const int64_t stepsPerEpoch = data.trainCount / batch; // drop_last, as the official loader
    const OneCycle schedule{config.learningRate, int64_t(config.epochs) * stepsPerEpoch};
    const int firstEpoch = log.empty() ? 1 : log.back().epoch + 1;

    auto evaluate = [&](const torch::Tensor &tokens, int64_t count, SaneEpochLog &entry) {
        if (!count)
            return;
        torch::NoGradGuard noGrad;
        net.eval();
        torch::manual_seed(uint64_t(config.seed) * 7919u); // the same windows and noise every epoch
        double total = 0, recon = 0, contrast = 0;
        int64_t batches = 0;
        const int64_t evalBatch = std::min<int64_t>(batch, count);
        for (int64_t first = 0; first + evalBatch <= count && evalBatch >= 2; first += evalBatch, ++batches) {
            const int64_t start = torch::randint(0, n - w + 1, {1}).item<int64_t>();
            const Losses l = saneLoss(net, tokens.slice(0, first, first + evalBatch).slice(1, start, start + w), {},
                                      mask.slice(0, start, start + w),
                                      positions.slice(0, start, start + w).unsqueeze(0).expand({evalBatch, w, 3}), config.noise,
                                      config.gamma, config.temperature);
            total += l.total.item<double>();
            recon += l.reconstruction.item<double>();
            contrast += l.contrastive.item<double>();
        }
        if (batches) {
            entry.valLoss = total / double(batches);
            entry.valReconstruction = recon / double(batches);
            entry.valContrastive = contrast / double(batches);
        }
    };

    auto saveEncoder = [&](const std::string &path, int epoch) {
        SaneEncoder encoder;
        encoder.config = config;
        encoder.normalization = data.normalization;
        encoder.architecture = data.architecture;
        encoder.weights = sane::toStateDict(net);
        json split;
        for (const auto &[id, name] : data.split)
            split[name].push_back(id);
        encoder.provenance = json{{"trained_on", options.zooPath}, {"epochs", epoch}, {"split", split}}.dump();
        fs::create_directories(fs::path(path).parent_path());
        encoder.write(path);
    };

    for (int epoch = firstEpoch; epoch <= config.epochs; ++epoch) {
        const auto started = std::chrono::steady_clock::now();
        torch::manual_seed(uint64_t(config.seed) * 1000003u + uint64_t(epoch)); // resumable: the epoch fixes the stream
        permutationRandom.seed(uint64_t(config.seed) * 1000003u + uint64_t(epoch));
        net.train();
        const torch::Tensor order = torch::randperm(data.trainCount, torch::kLong).to(device);
        SaneEpochLog entry;
        entry.epoch = epoch;
        for (int64_t step = 0; step < stepsPerEpoch; ++step) {
            const int64_t globalStep = int64_t(epoch - 1) * stepsPerEpoch + step;
            const auto [lr, beta1] = schedule.at(globalStep);
            for (auto &group : optimizer.param_groups()) {
                auto &adamw = static_cast<torch::optim::AdamWOptions &>(group.options());
                adamw.lr(lr);
                adamw.betas({beta1, 0.999});
            }
            const int64_t start = torch::randint(0, n - w + 1, {1}).item<int64_t>(); // one window per batch
            const torch::Tensor picked = order.slice(0, step * batch, (step + 1) * batch);
            const torch::Tensor x = trainTokens.index_select(0, picked).slice(1, start, start + w);
            const torch::Tensor x2 = permuter ? permutedTokens(picked).slice(1, start, start + w) : torch::Tensor();
            const Losses l = saneLoss(net, x, x2, mask.slice(0, start, start + w),
                                      positions.slice(0, start, start + w).unsqueeze(0).expand({batch, w, 3}), config.noise,
                                      config.gamma, config.temperature);
            optimizer.zero_grad();
            l.total.backward();
            optimizer.step();
            entry.loss += l.total.item<double>();
            entry.reconstruction += l.reconstruction.item<double>();
            entry.contrastive += l.contrastive.item<double>();
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
        evaluate(valTokens, data.valCount, entry);
        entry.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        log.push_back(entry);

        // State first, then the log that says the epoch is done: a crash between them repeats an epoch.
        {
            torch::serialize::OutputArchive archive;
            net.save(archive);
            optimizer.save(archive);
            AtomicFile file(statePath);
            archive.save_to(file.temporaryPath());
            file.commit();
        }
        writeTextFile((fs::path(options.runDir) / "log.json").string(), logToJson(log).dump(1));
        if (epoch % std::max(1, config.checkpointEvery) == 0 || epoch == config.epochs) {
            char folder[32];
            std::snprintf(folder, sizeof folder, "checkpoint_%06d", epoch);
            saveEncoder((fs::path(options.runDir) / folder / "encoder.pt").string(), epoch);
        }
        saveEncoder((fs::path(options.runDir) / "encoder.pt").string(), epoch);
    }
    return log;
}

} // namespace wse
