// wse-check-device: the same work on the CPU and on an accelerator (CUDA), compared number by
// number: the population trainer (one epoch of a mixed population), SANE embeddings in fp32 and
// bf16, and SANE training steps. Prints a table and exits 1 when a comparison is out of tolerance.
// Run it on the GPU machine (scripts/gpu/device-check.sh); with no CUDA device it says so and
// compares the CPU with itself, which must agree exactly.
#include "benchutil.h"

#include "data/datasets.h"
#include "sane/encoderfile.h"
#include "sane/saneembedder.h"
#include "sane/sanemodel.h"
#include "torchutil/device.h"
#include "training/populationtrainer.h"
#include "zoo/architecture.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

using namespace wse;

namespace {

int failures = 0;

void report(const std::string &what, double value, double tolerance, const std::string &detail = {})
{
    const bool ok = std::isfinite(value) && value <= tolerance;
    failures += ok ? 0 : 1;
    std::printf("| %s | %.3g | %.3g | %s | %s |\n", what.c_str(), value, tolerance, ok ? "ok" : "FAIL", detail.c_str());
    std::fflush(stdout);
}

double seconds(const std::chrono::steady_clock::time_point &start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// max |a - b| / max |a|
double relativeDifference(const std::vector<float> &a, const std::vector<float> &b)
{
    double difference = 0.0, scale = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        difference = std::max(difference, double(std::fabs(a[i] - b[i])));
        scale = std::max(scale, double(std::fabs(a[i])));
    }
    return scale > 0 ? difference / scale : difference;
}

// The smallest cosine similarity between corresponding rows of width `width`.
double smallestCosine(const std::vector<float> &a, const std::vector<float> &b, size_t width)
{
    double smallest = 1.0;
    for (size_t row = 0; row * width < a.size(); ++row) {
        double dot = 0, na = 0, nb = 0;
        for (size_t i = row * width; i < (row + 1) * width; ++i) {
            dot += double(a[i]) * b[i];
            na += double(a[i]) * a[i];
            nb += double(b[i]) * b[i];
        }
        smallest = std::min(smallest, dot / std::sqrt(na * nb + 1e-30));
    }
    return smallest;
}

void checkPopulation(const std::string &device, int64_t images, double tolerance)
{
    DatasetOptions dataOptions;
    dataOptions.trainLimit = images;
    dataOptions.testLimit = 1000;
    const TrainTestData data = loadDataset(dataOptions);
    const char *inits[] = {"kaiming_uniform", "normal", "xavier_normal", "orthogonal", "uniform", "truncated_normal"};
    const char *optimizers[] = {"adam", "sgd", "adamw"};
    std::vector<ModelConfig> configs;
    for (int i = 0; i < 12; ++i) {
        ModelConfig c;
        c.id = "m" + std::to_string(i);
        c.init = inits[i % 6];
        c.activation = "tanh";
        c.optimizer = optimizers[i % 3];
        c.learningRate = c.optimizer == "sgd" ? 1e-2 : 1e-3;
        c.weightDecay = i % 2 ? 1e-4 : 0.0;
        c.dropout = i % 4 == 3 ? 0.2 : 0.0;
        c.seed = 100 + i;
        configs.push_back(c);
    }
    std::vector<std::vector<ModelMetrics>> metrics;
    std::vector<std::vector<float>> weights;
    for (const std::string &on : {std::string("cpu"), device}) {
        const auto start = std::chrono::steady_clock::now();
        PopulationTrainer trainer(cnnSmallSpec(1), configs, data, on);
        metrics.push_back(trainer.trainEpoch(nullptr, 0, 1, "epoch"));
        weights.push_back(trainer.flatWeights());
        std::printf("| population epoch on %s | %.2f s | | | 12 models, %lld steps |\n", on.c_str(), seconds(start),
                    static_cast<long long>(images / 10));
    }
    // Models started from U(0, 1) or N(0, 1) weights saturate tanh: their gradients are float
    // round-off (1 - tanh^2 of large inputs), so any two devices' paths part after a few steps.
    // Parity is asserted on the others and shown for these.
    for (const bool saturating : {false, true}) {
        double accuracy = 0.0, loss = 0.0, weightDifference = 0.0;
        const size_t perModel = weights[0].size() / configs.size();
        for (size_t m = 0; m < configs.size(); ++m) {
            if ((configs[m].init == "uniform" || configs[m].init == "normal") != saturating)
                continue;
            accuracy = std::max(accuracy, std::fabs(metrics[0][m].testAccuracy - metrics[1][m].testAccuracy));
            loss = std::max(loss, std::fabs(metrics[0][m].testLoss - metrics[1][m].testLoss) / metrics[0][m].testLoss);
            const auto from = [&](int which) { return weights[size_t(which)].begin() + long(m * perModel); };
            weightDifference = std::max(weightDifference, relativeDifference(std::vector<float>(from(0), from(0) + long(perModel)),
                                                                             std::vector<float>(from(1), from(1) + long(perModel))));
        }
        const std::string group = saturating ? "U(0,1)/N(0,1) models (shown, not asserted)" : "other models";
        const std::string after = ", after " + std::to_string(images / 10) + " steps";
        const double limit = saturating ? 1e9 : tolerance;
        report("population, " + group + ": test accuracy, max |cpu - " + device + "|" + after, accuracy, limit);
        report("population, " + group + ": test loss, max relative difference" + after, loss, limit);
        report("population, " + group + ": weights, max relative difference" + after, weightDifference, limit, "per model");
    }
}

SaneEncoder randomEncoder(const std::string &preset)
{
    SaneEncoder encoder;
    encoder.config = SaneConfig::preset(preset);
    encoder.config.maxPositions = {48, 5, 20};
    encoder.architecture = cnnSmall();
    for (const TensorSpec &tensor : encoder.architecture.tensors)
        if (tensor.key.find("weight") != std::string::npos)
            encoder.normalization.layers.push_back({tensor.key, 0.01, 0.2});
    encoder.weights = SaneModel(encoder.config, "cpu").stateDict();
    return encoder;
}

void checkEmbedding(const std::string &device, const std::string &preset, int count)
{
    const SaneEncoder encoder = randomEncoder(preset);
    std::mt19937 random(7);
    std::normal_distribution<float> gaussian(0.0f, 0.1f);
    std::vector<float> rows(size_t(count) * size_t(encoder.architecture.numel()));
    for (float &v : rows)
        v = gaussian(random);
    auto embed = [&](const std::string &on, const std::string &precision) {
        EmbedOptions options;
        options.device = on;
        options.precision = precision;
        SaneEmbedder embedder(encoder, encoder.architecture, options);
        embedder.embed(rows.data(), std::min(count, 8)); // warm-up (CUDA context, kernels)
        const auto start = std::chrono::steady_clock::now();
        std::vector<float> z = embedder.embed(rows.data(), count);
        std::printf("| %s embedding on %s, %s | %.3f s | | | %d checkpoints |\n", preset.c_str(), on.c_str(),
                    precision.c_str(), seconds(start), count);
        return z;
    };
    const std::vector<float> cpu = embed("cpu", "fp32");
    const std::vector<float> fp32 = embed(device, "fp32");
    const std::vector<float> bf16 = embed(device, "bf16");
    const size_t dz = size_t(encoder.config.latent);
    report(preset + ": fp32 " + device + " vs cpu, max relative difference", relativeDifference(cpu, fp32), 1e-4);
    report(preset + ": bf16 vs fp32, max relative difference", relativeDifference(fp32, bf16), 0.1);
    report(preset + ": bf16 vs fp32, 1 - smallest cosine", 1.0 - smallestCosine(fp32, bf16, dz), 0.01);
}

// Training steps from the same initial weights on the same batches, noise and dropout off so the
// two devices see identical inputs: the losses and the weights must follow the same path.
void checkSaneTraining(const std::string &device)
{
    SaneConfig config = SaneConfig::preset("small");
    config.maxPositions = {48, 5, 20};
    config.noise = 0.0;
    config.dropout = 0.0;
    const int64_t batch = 16, window = config.windowSize, dt = config.tokenSize;
    std::mt19937 random(3);
    std::normal_distribution<float> gaussian(0.0f, 1.0f);
    std::vector<float> tokens(size_t(batch * window * dt)), mask(size_t(window * dt), 1.0f);
    std::vector<int32_t> positions(size_t(window * 3));
    for (int64_t t = 0; t < window; ++t) {
        positions[size_t(t * 3)] = int32_t(t);
        positions[size_t(t * 3 + 1)] = int32_t(t % 5);
        positions[size_t(t * 3 + 2)] = int32_t(t % 20);
    }
    auto train = [&](const std::string &on, const std::string &precision, std::vector<double> &losses) {
        SaneModel model(config, on);
        model.setPrecision(precision);
        std::mt19937 data(11);
        const auto start = std::chrono::steady_clock::now();
        for (int step = 0; step < 20; ++step) {
            for (float &v : tokens)
                v = gaussian(data);
            SaneBatch b;
            b.tokens = tokens.data();
            b.mask = mask.data();
            b.positions = positions.data();
            b.batch = batch;
            b.window = window;
            losses.push_back(model.trainStep(b, 1e-4, 0.9).total);
        }
        std::printf("| SANE small: 20 training steps on %s, %s | %.2f s | | | loss %.4f -> %.4f |\n", on.c_str(),
                    precision.c_str(), seconds(start), losses.front(), losses.back());
        std::vector<float> flat;
        for (const auto &entry : model.stateDict().entries) {
            const std::vector<float> values = entry.second.toFloat();
            flat.insert(flat.end(), values.begin(), values.end());
        }
        return flat;
    };
    std::vector<double> cpuLosses, fp32Losses, bf16Losses;
    const std::vector<float> cpu = train("cpu", "fp32", cpuLosses);
    const std::vector<float> fp32 = train(device, "fp32", fp32Losses);
    train(device, "bf16", bf16Losses);
    double lossDifference = 0.0, bf16Difference = 0.0;
    for (size_t i = 0; i < cpuLosses.size(); ++i) {
        lossDifference = std::max(lossDifference, std::fabs(cpuLosses[i] - fp32Losses[i]) / cpuLosses[i]);
        bf16Difference = std::max(bf16Difference, std::fabs(fp32Losses[i] - bf16Losses[i]) / fp32Losses[i]);
    }
    report("SANE training: losses " + device + " fp32 vs cpu, max relative difference", lossDifference, 1e-3);
    report("SANE training: weights after 20 steps, max relative difference", relativeDifference(cpu, fp32), 1e-2);
    report("SANE training: losses bf16 vs fp32, max relative difference", bf16Difference, 0.05);
    report("SANE training: bf16 loss decreased (last / first)", bf16Losses.back() / bf16Losses.front(), 1.0);
}

} // namespace

int main(int argc, char **argv)
{
    const std::string requested = argc > 1 ? argv[1] : "auto";
    std::string device = resolveDevice(requested);
    useAllCores();
    std::printf("# wse-check-device: CPU against %s\n\n", describeDevice(device).c_str());
    if (device == "cpu")
        std::printf("No CUDA device: the CPU is compared with itself.\n\n");
    std::printf("| check | value | tolerance | result | detail |\n|---|---|---|---|---|\n");
    checkPopulation(device, 100, 1e-3); // 10 steps: float differences have not grown yet
    checkPopulation(device, 2000, 0.05);
    checkEmbedding(device, "small", 512);
    checkEmbedding(device, "official-cnn", 32);
    checkSaneTraining(device);
    std::printf("\n%s\n", failures ? (std::to_string(failures) + " checks FAILED").c_str() : "all checks passed");
    bench::printFooter();
    return failures ? 1 : 0;
}
