// wse-bench-training: model-epochs per second of the population trainer (K CNN-s models per step)
// against the same models trained one at a time with the same LibTorch, in one run. One at a time
// is timed with LibTorch's default threads and with one thread (faster for such small networks),
// and the speed-up is taken against the faster. FLOP rates put both next to the machine's
// matrix-product peak: the ceiling of what any batching can reach.
#include "benchutil.h"

#include "data/datasets.h"
#include "torchutil/device.h"
#include "training/populationtrainer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace wse;

namespace {

// Floating-point operations of one model: a training step per image (forward, weight gradients
// as costly as the forward products, input gradients for every layer but the first) and an
// evaluated image (forward only). Convolutions and linear layers only: the rest is negligible.
struct ModelFlops
{
    double trainPerImage = 0.0;
    double evalPerImage = 0.0;
};

ModelFlops flopsOf(const NetworkSpec &spec)
{
    double forward = 0.0, inputGradients = 0.0;
    int64_t channels = spec.channels, height = spec.height, width = spec.width, features = 0;
    bool first = true;
    auto add = [&](double multiplyAdds) {
        forward += 2.0 * multiplyAdds;
        inputGradients += first ? 0.0 : 2.0 * multiplyAdds;
        first = false;
    };
    for (const NetworkLayer &layer : spec.modules(false)) {
        if (layer.kind == NetworkLayer::Kind::Conv) {
            height = (height + 2 * layer.padding - layer.kernel) / layer.stride + 1;
            width = (width + 2 * layer.padding - layer.kernel) / layer.stride + 1;
            add(double(layer.outputs * height * width) * double(channels * layer.kernel * layer.kernel));
            channels = layer.outputs;
        } else if (layer.kind == NetworkLayer::Kind::MaxPool) {
            height /= layer.kernel;
            width /= layer.kernel;
        } else if (layer.kind == NetworkLayer::Kind::Flatten) {
            features = channels * height * width;
        } else if (layer.kind == NetworkLayer::Kind::Linear) {
            add(double(features * layer.outputs));
            features = layer.outputs;
        }
    }
    return {2.0 * forward + inputGradients, forward};
}

struct Row
{
    std::string name;
    bench::Timing timing; // seconds per epoch of all models
};

} // namespace

int main(int argc, char **argv)
{
    const int models = argc > 1 ? std::atoi(argv[1]) : 64;
    const int64_t images = argc > 2 ? std::atoll(argv[2]) : 500;
    const int repetitions = argc > 3 ? std::atoi(argv[3]) : 2;
    const std::string device = resolveDevice(argc > 4 ? argv[4] : "auto");
    // One-at-a-time training is timed on the first `alone` models and scaled to all of them (a
    // 1000-model population would otherwise need 1000 single runs).
    const int alone = std::min(models, argc > 5 ? std::atoi(argv[5]) : models);
    useAllCores();
    const int threads = intraOpThreads();

    DatasetOptions dataOptions;
    dataOptions.trainLimit = images;
    dataOptions.testLimit = 500;
    const TrainTestData data = loadDataset(dataOptions);
    const char *inits[] = {"uniform", "normal", "kaiming_uniform", "kaiming_normal"};
    const char *optimizers[] = {"adam", "sgd"};
    const char *activations[] = {"gelu", "leaky_relu", "relu", "sigmoid", "silu", "tanh"};
    std::vector<ModelConfig> configs, mixed;
    for (int i = 0; i < models; ++i) {
        ModelConfig c;
        c.id = "m" + std::to_string(i);
        c.dataset = "fashion-mnist";
        c.init = inits[i % 4];
        c.activation = "tanh";
        c.optimizer = optimizers[(i / 4) % 2];
        c.learningRate = 1e-3;
        c.seed = i + 1;
        configs.push_back(c);
        c.activation = activations[i * 6 / models]; // adjacent runs, as the zoo job orders them
        mixed.push_back(c);
    }
    std::printf("# wse-bench-training: %d CNN-s models, batch 10, %lld training images per epoch (+ 500 test), %s\n\n",
                models, static_cast<long long>(images), describeDevice(device).c_str());

    auto population = [&](const std::vector<ModelConfig> &members) {
        return bench::measure([&] {
            PopulationTrainer trainer(cnnSmallSpec(1), members, data, device);
            trainer.trainEpoch(nullptr, 0, 1, "epoch");
        }, repetitions);
    };
    // One at a time: the same models, each a population of one (plain, ungrouped convolutions).
    auto oneAtATime = [&] {
        bench::Timing timing = bench::measure([&] {
            for (int i = 0; i < alone; ++i) {
                PopulationTrainer trainer(cnnSmallSpec(1), {configs[size_t(i)]}, data, device);
                trainer.trainEpoch(nullptr, 0, 1, "epoch");
            }
        }, repetitions);
        for (double *value : {&timing.mean, &timing.stddev})
            *value *= double(models) / double(alone);
        return timing;
    };
    std::vector<Row> rows;
    rows.push_back({"one model at a time, " + std::to_string(threads) + " threads (LibTorch's default)", oneAtATime()});
    if (device == "cpu" && threads > 1) {
        setIntraOpThreads(1);
        rows.push_back({"one model at a time, 1 thread", oneAtATime()});
        setIntraOpThreads(threads);
    }
    const Row single = *std::min_element(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        return a.timing.mean < b.timing.mean;
    });
    const Row full = {"population of " + std::to_string(models) + " (tanh)", population(configs)};
    rows.push_back(full);
    std::vector<ModelConfig> dropping = configs;
    for (ModelConfig &c : dropping)
        c.dropout = 0.5;
    rows.push_back({"population of " + std::to_string(models) + " (tanh), dropout 0.5", population(dropping)});
    rows.push_back({"population of " + std::to_string(models) + ", six activations", population(mixed)});
    rows.push_back({"six populations, one per activation", bench::measure([&] {
                        for (int a = 0; a < 6; ++a) {
                            std::vector<ModelConfig> members;
                            for (const ModelConfig &c : mixed)
                                if (c.activation == activations[a])
                                    members.push_back(c);
                            PopulationTrainer trainer(cnnSmallSpec(1), members, data, device);
                            trainer.trainEpoch(nullptr, 0, 1, "epoch");
                        }
                    }, repetitions)});
    if (alone < models)
        std::printf("(one at a time: timed on %d of the %d models and scaled)\n\n", alone, models);

    const ModelFlops flops = flopsOf(cnnSmallSpec(1));
    const double epochFlops = double(models) * (flops.trainPerImage * double(images) + flops.evalPerImage * 500.0);
    std::printf("| trainer | seconds per epoch of all %d models | model-epochs/s | GFLOP/s | speed-up |\n|---|---|---|---|---|\n",
                models);
    for (const Row &row : rows)
        std::printf("| %s | %s | %.2f | %.1f | %.2fx |\n", row.name.c_str(), bench::format(row.timing, 1, 2).c_str(),
                    models / row.timing.mean, epochFlops / row.timing.mean / 1e9, single.timing.mean / row.timing.mean);

    const double peak = matmulGflops(device);
    std::printf("\nFloat32 matrix products on this device: %.1f GFLOP/s. The population runs at %.0f%% of that; a population\n"
                "running every operation at that rate would be %.1fx one at a time (the ceiling of batching here).\n",
                peak, 100.0 * epochFlops / full.timing.mean / 1e9 / peak, single.timing.mean * peak * 1e9 / epochFlops);
    const double fullEpoch = full.timing.mean * 50000.0 / double(images); // all models, 50,000 images
    std::printf("\nFull Fashion-MNIST epoch (50,000 images) estimate: %.1f s per model-epoch alone, %.3f s in the population;\n"
                "a %d-model x 50-epoch zoo: %.1f min in populations of %d (test evaluation of 10,000 images per epoch not included).\n",
                single.timing.mean / models * 50000.0 / double(images), fullEpoch / models, models, fullEpoch * 50.0 / 60.0,
                models);
    bench::printFooter();
    return 0;
}
