#include "sane/sampler.h"

#include "analysis/filterexpression.h"
#include "common/error.h"
#include "jobs/progress.h"
#include "sane/zooembedding.h"
#include "torchutil/device.h"
#include "training/populationtrainer.h"
#include "training/zootrainer.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <set>

namespace wse {

namespace {

std::pair<double, double> meanAndStd(const std::vector<double> &values)
{
    if (values.empty())
        return {NAN, NAN};
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
    double squares = 0;
    for (double v : values)
        squares += (v - mean) * (v - mean);
    return {mean, values.size() > 1 ? std::sqrt(squares / double(values.size() - 1)) : 0.0};
}

std::string formatAccuracy(double mean, double std)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.3f ± %.3f", mean, std);
    return text;
}

// The one value of a model column shared by all anchors; UsageError naming the column otherwise.
std::string sharedValue(const Zoo &zoo, const std::vector<int64_t> &anchors, const std::string &column)
{
    std::set<std::string> values;
    for (int64_t c : anchors)
        values.insert(zoo.checkpointValue(c, column));
    if (values.size() != 1) {
        std::string list;
        for (const std::string &v : values)
            list += (list.empty() ? "" : ", ") + v;
        throw UsageError("the anchors mix " + column + " values (" + list + "); a sampled network needs one: add " + column +
                         " == \"" + *values.begin() + "\" to --anchors");
    }
    return *values.begin();
}

ModelConfig configOf(const Zoo &zoo, int64_t checkpoint, const std::string &id, int64_t seed)
{
    auto number = [&](const char *column, double fallback) {
        const std::string text = zoo.checkpointValue(checkpoint, column);
        return text.empty() ? fallback : std::stod(text);
    };
    ModelConfig config;
    config.id = id;
    config.dataset = zoo.checkpointValue(checkpoint, "dataset");
    config.init = zoo.checkpointValue(checkpoint, "init");
    config.activation = zoo.checkpointValue(checkpoint, "activation");
    config.optimizer = zoo.checkpointValue(checkpoint, "optimizer");
    config.learningRate = number("lr", 3e-4);
    config.weightDecay = number("weight_decay", 0.0);
    config.dropout = number("dropout", 0.0);
    config.batchSize = int(number("batch_size", 10));
    config.seed = seed;
    return config;
}

} // namespace

std::string SampleReport::toText() const
{
    std::string text = std::to_string(anchors) + " anchors (" + dataset + ", " + activation + "), test accuracy " +
                       std::to_string(anchorTestAccuracy).substr(0, 5) + "\n";
    text += "  freshly initialised:      " + formatAccuracy(scratchTestAccuracy, scratchStd) + "\n";
    text += "  sampled, zero-shot (all): " + formatAccuracy(sampledTestAccuracy, sampledStd) + "\n";
    text += "  sampled, zero-shot (kept):" + std::string(" ") + formatAccuracy(keptTestAccuracy, keptStd) + "\n";
    for (size_t e = 0; e < finetunedTestAccuracy.size(); ++e)
        text += "  kept, fine-tuned epoch " + std::to_string(e + 1) + ": " + std::to_string(finetunedTestAccuracy[e]).substr(0, 5) + "\n";
    return text;
}

SampleReport sampleModels(const SampleOptions &options, ProgressReporter *progress)
{
    if (options.count < 1 || options.keep < 1 || options.keep > options.count)
        throw UsageError("sampling needs 1 <= keep <= count (got count " + std::to_string(options.count) + ", keep " +
                         std::to_string(options.keep) + ")");
    if (!(options.bandwidth >= 0))
        throw UsageError("the KDE bandwidth must be >= 0");
    const SaneEncoder encoder = SaneEncoder::read(options.encoderPath);
    const Zoo zoo = ZooStore::read(options.zooPath, /*withWeights=*/false);
    if (zoo.provenance.find("\"datasets\"") == std::string::npos)
        throw UsageError(options.zooPath + " has no training recipe (it was not trained by wse zoo train), so sampled "
                                           "networks cannot be evaluated on its data");
    const ZooTrainOptions recipe = ZooTrainOptions::fromJson(zoo.provenance, options.zooPath, ZooTrainOptions());

    // Anchors: checkpoints of the encoder's architecture that match the expression and are finite.
    std::map<std::string, Column> cache;
    auto column = [&](const std::string &name) -> const Column * {
        auto it = cache.find(name);
        if (it == cache.end()) {
            try {
                it = cache.emplace(name, zoo.checkpointColumn(name)).first;
            } catch (const UsageError &) {
                return nullptr;
            }
        }
        return &it->second;
    };
    const std::vector<bool> selected = options.anchors.empty()
                                           ? std::vector<bool>(size_t(zoo.checkpointCount()), true)
                                           : FilterExpression::parse(options.anchors).evaluate(column, zoo.checkpointCount());
    int architecture = -1;
    for (size_t a = 0; a < zoo.architectures.size() && architecture < 0; ++a)
        if (layoutDifference(encoder.architecture.tensors.empty() ? zoo.architectures[a] : encoder.architecture,
                             zoo.architectures[a]).empty())
            architecture = int(a);
    if (architecture < 0)
        throw UsageError(options.zooPath + ": no architecture of this zoo has the layout the encoder was trained on");
    const Architecture &arch = zoo.architectures[size_t(architecture)];
    ZooWeightReader reader(options.zooPath, arch.name);
    const int64_t rowSize = arch.numel();
    std::vector<int64_t> anchors;
    std::vector<float> anchorRows;
    std::vector<float> row(static_cast<size_t>(rowSize));
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
        if (!selected[size_t(c)] || zoo.checkpointArchitecture(c) != architecture)
            continue;
        reader.read(int64_t(zoo.checkpoints.get(zoocol::WeightRow).number(c)), 1, row.data());
        if (!std::all_of(row.begin(), row.end(), [](float v) { return std::isfinite(v); }))
            continue;
        anchors.push_back(c);
        anchorRows.insert(anchorRows.end(), row.begin(), row.end());
    }
    if (anchors.empty())
        throw UsageError("no checkpoint matches --anchors '" + options.anchors + "'");
    SampleReport report;
    report.anchors = int64_t(anchors.size());
    report.dataset = sharedValue(zoo, anchors, "dataset");
    report.activation = sharedValue(zoo, anchors, "activation");
    std::vector<double> anchorAccuracy;
    for (int64_t c : anchors)
        anchorAccuracy.push_back(zoo.checkpointColumn("test_acc").number(c));
    report.anchorTestAccuracy = meanAndStd(anchorAccuracy).first;

    // Anchor latents, then the KDE draws.
    if (progress)
        progress->report(0.05, "embedding anchors", std::to_string(anchors.size()) + " checkpoints");
    SaneEmbedder embedder(encoder, arch, options.embed);
    const int64_t n = embedder.layout().length(), dz = embedder.latentSize();
    const std::vector<float> anchorLatents = embedder.latents(anchorRows.data(), int64_t(anchors.size()));
    std::mt19937_64 random{static_cast<uint64_t>(options.seed)};
    std::uniform_int_distribution<size_t> pick(0, anchors.size() - 1);
    std::normal_distribution<float> gaussian(0.0f, 1.0f);
    std::vector<float> latents(size_t(options.count * n * dz));
    std::vector<size_t> sourceAnchor(size_t(options.count));
    std::vector<float> rows(size_t(options.count * rowSize));
    for (int64_t s = 0; s < options.count; ++s) {
        const size_t a = pick(random);
        sourceAnchor[size_t(s)] = a;
        std::vector<float> noise(static_cast<size_t>(dz));
        for (float &v : noise)
            v = float(options.bandwidth) * gaussian(random);
        for (int64_t t = 0; t < n; ++t)
            for (int64_t k = 0; k < dz; ++k)
                latents[size_t((s * n + t) * dz + k)] = anchorLatents[a * size_t(n * dz) + size_t(t * dz + k)] + noise[size_t(k)];
        // Values SANE does not tokenise (none for our architectures) come from the anchor.
        std::copy_n(anchorRows.begin() + int64_t(a) * rowSize, rowSize, rows.begin() + s * rowSize);
    }
    if (progress)
        progress->report(0.2, "decoding", std::to_string(options.count) + " samples");
    embedder.decode(latents, options.count, rows.data());

    // Evaluate every sample (validation for the choice, test for the report) and fresh networks.
    if (progress)
        progress->report(0.3, "evaluating", "loading " + report.dataset);
    const ZooDatasetSetup setup = setupZooDataset(recipe, report.dataset);
    const int batchSize = configOf(zoo, anchors.front(), "", 0).batchSize;
    std::vector<ModelConfig> sampleConfigs, scratchConfigs;
    for (int64_t s = 0; s < options.count; ++s) {
        char id[32];
        std::snprintf(id, sizeof id, "sample-%04lld", static_cast<long long>(s));
        ModelConfig config = configOf(zoo, anchors[sourceAnchor[size_t(s)]], id, options.seed * 1000 + s);
        config.batchSize = batchSize;
        sampleConfigs.push_back(config);
        config.id = std::string("scratch-") + id;
        scratchConfigs.push_back(config);
    }
    const std::string device = resolveDevice(options.embed.device);
    PopulationTrainer samples(setup.network, sampleConfigs, setup.data, device);
    samples.setFlatWeights(rows);
    const std::vector<ModelMetrics> zeroShot = samples.evaluateInitial();
    const std::vector<ModelMetrics> validation = samples.evaluateValidation();
    PopulationTrainer scratch(setup.network, scratchConfigs, setup.data, device);
    const std::vector<ModelMetrics> scratchMetrics = scratch.evaluateInitial();

    std::vector<int64_t> order(size_t(options.count));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return validation[size_t(a)].testAccuracy > validation[size_t(b)].testAccuracy;
    });
    const std::vector<int64_t> kept(order.begin(), order.begin() + options.keep);
    std::vector<double> all, keptAccuracy, fresh;
    for (const ModelMetrics &m : zeroShot)
        all.push_back(m.testAccuracy);
    for (int64_t s : kept)
        keptAccuracy.push_back(zeroShot[size_t(s)].testAccuracy);
    for (const ModelMetrics &m : scratchMetrics)
        fresh.push_back(m.testAccuracy);
    std::tie(report.sampledTestAccuracy, report.sampledStd) = meanAndStd(all);
    std::tie(report.keptTestAccuracy, report.keptStd) = meanAndStd(keptAccuracy);
    std::tie(report.scratchTestAccuracy, report.scratchStd) = meanAndStd(fresh);

    // The output zoo: every sample (kept or not) with its provenance, epoch 0 = zero-shot.
    Zoo out;
    out.name = "SANE samples from " + zoo.name;
    out.provenance = nlohmann::json{{"sampled_from", options.zooPath}, {"encoder", options.encoderPath},
                                    {"encoder_id", encoder.id()}, {"anchors", options.anchors}, {"count", options.count},
                                    {"keep", options.keep}, {"bandwidth", options.bandwidth}, {"seed", options.seed},
                                    {"finetune_epochs", options.finetuneEpochs}, {"recipe", nlohmann::json::parse(zoo.provenance)}}
                         .dump();
    Architecture outArch = arch;
    out.addArchitecture(outArch);
    out.weights.resize(1);
    out.weights[0].cols = rowSize;
    const std::set<int64_t> keptSet(kept.begin(), kept.end());
    auto appendCheckpoint = [&](int64_t model, int epoch, const float *weights, const ModelMetrics &m, double valAccuracy) {
        out.checkpoints.appendRow({{zoocol::Model, model}, {zoocol::Epoch, epoch}, {zoocol::WeightRow, out.weights[0].rows},
                                   {"train_loss", m.trainLoss}, {"train_acc", m.trainAccuracy}, {"test_loss", m.testLoss},
                                   {"test_acc", m.testAccuracy}, {"ggap", m.trainAccuracy - m.testAccuracy},
                                   {"val_acc", valAccuracy}});
        out.weights[0].appendRow(weights);
    };
    for (int64_t s = 0; s < options.count; ++s) {
        const ModelConfig &config = sampleConfigs[size_t(s)];
        const int64_t anchor = anchors[sourceAnchor[size_t(s)]];
        out.models.appendRow({{zoocol::ModelId, config.id}, {zoocol::Architecture, arch.name}, {"dataset", config.dataset},
                              {"init", "sane-kde"}, {"activation", config.activation}, {"optimizer", config.optimizer},
                              {"lr", config.learningRate}, {"weight_decay", config.weightDecay}, {"batch_size", config.batchSize},
                              {"origin", "sampled"}, {"kept", keptSet.count(s) ? 1 : 0},
                              {"anchor_model", zoo.checkpointValue(anchor, zoocol::ModelId)},
                              {"anchor_epoch", zoo.checkpointColumn(zoocol::Epoch).number(anchor)},
                              {"sample_seed", options.seed}, {"sample_index", s}, {"bandwidth", options.bandwidth},
                              {"encoder_id", encoder.id()}});
        appendCheckpoint(s, 0, rows.data() + s * rowSize, zeroShot[size_t(s)], validation[size_t(s)].testAccuracy);
    }

    // Fine-tuning of the kept samples, with their anchors' optimizer settings.
    if (options.finetuneEpochs > 0) {
        std::vector<ModelConfig> keptConfigs;
        std::vector<float> keptRows;
        for (int64_t s : kept) {
            keptConfigs.push_back(sampleConfigs[size_t(s)]);
            keptRows.insert(keptRows.end(), rows.begin() + s * rowSize, rows.begin() + (s + 1) * rowSize);
        }
        PopulationTrainer tuning(setup.network, keptConfigs, setup.data, device);
        tuning.setFlatWeights(keptRows);
        for (int epoch = 1; epoch <= options.finetuneEpochs; ++epoch) {
            const double start = 0.5 + 0.5 * double(epoch - 1) / options.finetuneEpochs;
            const std::vector<ModelMetrics> metrics =
                tuning.trainEpoch(progress, start, 0.5 / options.finetuneEpochs, "fine-tuning " + std::to_string(epoch));
            const std::vector<ModelMetrics> val = tuning.evaluateValidation();
            const std::vector<float> weights = tuning.flatWeights();
            std::vector<double> accuracy;
            for (size_t i = 0; i < kept.size(); ++i) {
                appendCheckpoint(kept[i], epoch, weights.data() + int64_t(i) * rowSize, metrics[i], val[i].testAccuracy);
                accuracy.push_back(metrics[i].testAccuracy);
            }
            report.finetunedTestAccuracy.push_back(meanAndStd(accuracy).first);
        }
    }
    ZooStore::write(out, options.output);
    if (progress)
        progress->report(1.0, "done", std::to_string(options.keep) + " of " + std::to_string(options.count) + " samples kept");
    return report;
}

} // namespace wse
