#include "training/zooestimate.h"

#include "common/numbertext.h"
#include "jobs/progress.h"
#include "torchutil/device.h"
#include "training/populationtrainer.h"
#include "training/zootrainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace wse {


std::string ZooEstimate::text() const
{
    std::string text = withThousands(models) + " models, " + withThousands(checkpoints) + " checkpoints, " + byteSize(bytes);
    if (seconds >= 0)
        text += ", about " + (seconds < 60 ? std::to_string(std::max(1, int(std::lround(seconds)))) + " s" : formatDuration(seconds)) +
                " on " + describeDevice(device);
    return text;
}

namespace {
ZooEstimate countConfigs(const ZooTrainOptions &options, const std::vector<ModelConfig> &configs)
{
    ZooEstimate estimate;
    estimate.models = int64_t(configs.size());
    int stored = 0;
    for (int epoch = 0; epoch <= options.epochs; ++epoch)
        stored += options.storesEpoch(epoch) ? 1 : 0;
    estimate.checkpoints = estimate.models * stored;
    return estimate;
}
} // namespace

ZooEstimate countZoo(const ZooTrainOptions &options) { return countConfigs(options, options.expandModels()); }

ZooEstimate estimateZoo(const ZooTrainOptions &options)
{
    const std::vector<ModelConfig> configs = options.expandModels();
    ZooEstimate estimate = countConfigs(options, configs);
    useAllCores(); // as the job will (also in a worker thread, whose thread count starts at 1)
    estimate.device = resolveDevice(options.device);
    if (estimate.models == 0)
        return estimate;
    ZooDatasetSetup setup = setupZooDataset(options, configs.front().dataset);
    estimate.valuesPerCheckpoint = setup.network.architecture(false).numel();
    estimate.bytes = double(estimate.checkpoints) * double(estimate.valuesPerCheckpoint) * 4.0;

    // Populations as trainZoo forms them; a probe population like the largest (of the first
    // dataset's, whose data is loaded), on enough images for a few steps.
    const std::vector<std::vector<int64_t>> populations = groupIntoPopulations(configs, options.populationSize);
    const std::vector<int64_t> *largest = nullptr;
    for (const std::vector<int64_t> &members : populations)
        if (configs[size_t(members.front())].dataset == configs.front().dataset &&
            (!largest || members.size() > largest->size()))
            largest = &members;
    std::vector<ModelConfig> probeConfigs;
    for (int64_t index : *largest)
        probeConfigs.push_back(configs[size_t(index)]);
    const int64_t trainImages = setup.data.train.count, testImages = setup.data.test.count;
    const int64_t probeImages = std::min<int64_t>(trainImages, int64_t(probeConfigs.front().batchSize) * 5);
    TrainTestData probeData;
    probeData.train = setup.data.train.head(probeImages);
    probeData.test = setup.data.test.head(std::min<int64_t>(testImages, 100));
    PopulationTrainer probe(setup.network, probeConfigs, probeData, estimate.device);
    probe.trainEpoch(nullptr, 0, 1, "warm-up"); // first calls allocate and choose kernels
    const auto start = std::chrono::steady_clock::now();
    probe.trainEpoch(nullptr, 0, 1, "probe");
    const double probeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Training scales with training images, evaluation (inside the probe) with test images:
    // split the probe's time by images seen, a rough but honest upper-bound-ish estimate.
    const double perImage = probeSeconds / double(probeImages + probeData.test.count);
    const double perEpoch = perImage * double(trainImages + testImages);
    estimate.seconds = double(populations.size()) * (double(options.epochs) * perEpoch + double(testImages + trainImages) * perImage / 3.0);
    return estimate;
}

} // namespace wse
