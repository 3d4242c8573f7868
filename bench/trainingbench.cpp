// wse-bench-training: model-epochs per second of the population trainer (K CNN-s models per step)
// against the same models trained one at a time with the same LibTorch, in one run.
#include "benchutil.h"

#include "data/datasets.h"
#include "torchutil/device.h"
#include "training/populationtrainer.h"

#include <cstdio>
#include <algorithm>
#include <cstdlib>

using namespace wse;

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

    DatasetOptions dataOptions;
    dataOptions.trainLimit = images;
    dataOptions.testLimit = 500;
    const TrainTestData data = loadDataset(dataOptions);
    const char *inits[] = {"uniform", "normal", "kaiming_uniform", "kaiming_normal"};
    const char *optimizers[] = {"adam", "sgd"};
    std::vector<ModelConfig> configs;
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
    }
    std::printf("# wse-bench-training: %d CNN-s models, batch 10, %lld training images per epoch (+ 500 test), %s\n\n",
                models, static_cast<long long>(images), describeDevice(device).c_str());

    const bench::Timing population = bench::measure([&] {
        PopulationTrainer trainer(cnnSmallSpec(1), configs, data, device);
        trainer.trainEpoch(nullptr, 0, 1, "epoch");
    }, repetitions);
    // One at a time: the same models, each a population of one (plain, ungrouped convolutions).
    bench::Timing single = bench::measure([&] {
        for (int i = 0; i < alone; ++i) {
            PopulationTrainer trainer(cnnSmallSpec(1), {configs[size_t(i)]}, data, device);
            trainer.trainEpoch(nullptr, 0, 1, "epoch");
        }
    }, repetitions);
    for (double *value : {&single.mean, &single.stddev})
        *value *= double(models) / double(alone);
    if (alone < models)
        std::printf("(one at a time: timed on %d of the %d models and scaled)\n\n", alone, models);

    std::printf("| trainer | seconds per epoch of all %d models | model-epochs/s | speed-up |\n|---|---|---|---|\n", models);
    std::printf("| one model at a time | %s | %.2f | 1.00x |\n", bench::format(single, 1, 2).c_str(), models / single.mean);
    std::printf("| population of %d | %s | %.2f | %.2fx |\n", models, bench::format(population, 1, 2).c_str(),
                models / population.mean, single.mean / population.mean);
    const double fullEpoch = population.mean * 50000.0 / double(images); // all models, 50,000 images
    std::printf("\nFull Fashion-MNIST epoch (50,000 images) estimate: %.1f s per model-epoch alone, %.3f s in the population;\n"
                "a %d-model x 50-epoch zoo: %.1f min in populations of %d (test evaluation of 10,000 images per epoch not included).\n",
                single.mean / models * 50000.0 / double(images), fullEpoch / models, models, fullEpoch * 50.0 / 60.0, models);
    bench::printFooter();
    return 0;
}
