#include "sane/sampler.h"

#include "distributed/distributed.h"

#include "analysis/filterexpression.h"
#include "common/error.h"
#include "common/filekind.h"
#include "jobs/progress.h"
#include "sane/generatedprovenance.h"
#include "sane/generation.h"
#include "sane/permutation.h"
#include "sane/saneembedder.h"
#include "torchutil/device.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
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
    if (latentSpread > 0) {
        char line[240];
        std::snprintf(line, sizeof line, "  latent noise: bandwidth %.3g = %.2gx the anchors' spread per latent dimension (%.3g)", bandwidth,
                      bandwidth / latentSpread, latentSpread);
        text += line;
        if (bandwidth > 2 * latentSpread)
            text += " - samples can land far from the anchors; a --bandwidth near the spread keeps them close";
        text += "\n";
    }
    return text + provenance;
}

namespace {

void validate(const SampleOptions &options)
{
    if (options.count < 1 || options.keep < 1 || options.keep > options.count)
        throw UsageError("sampling needs 1 <= keep <= count (got count " + std::to_string(options.count) + ", keep " +
                         std::to_string(options.keep) + ")");
    if (!(options.bandwidth >= 0))
        throw UsageError("the KDE bandwidth must be >= 0");
    if (options.count > SampleOptions::MaxCount)
        throw UsageError("sampling " + std::to_string(options.count) + " networks: one run samples at most " +
                         std::to_string(SampleOptions::MaxCount));
    if (!options.control.empty() && options.control != "copy")
        throw UsageError("--control takes 'copy' (the anchors themselves, neuron-permuted), not '" + options.control + "'");
    if (!options.anchors.empty())
        FilterExpression::parse(options.anchors); // a malformed filter is refused before any file is opened
    checkOutputPath(options.output, {options.zooPath, options.encoderPath});
}

// How far apart the anchors' token-averaged latents are, per latent dimension (the noise is one
// vector shared by every token, as the official sampler draws it, so it moves the whole embedding).
double latentSpread(const std::vector<float> &anchorLatents, size_t anchors, int64_t tokens, int64_t dz)
{
    if (anchors < 2)
        return 0.0;
    const size_t values = size_t(tokens * dz);
    double spread = 0;
    for (int64_t k = 0; k < dz; ++k) {
        double sum = 0, squares = 0;
        for (size_t a = 0; a < anchors; ++a) {
            double mean = 0;
            for (int64_t t = 0; t < tokens; ++t)
                mean += anchorLatents[a * values + size_t(t * dz + k)];
            mean /= double(tokens);
            sum += mean;
            squares += mean * mean;
        }
        const double average = sum / double(anchors);
        spread += std::sqrt(std::max(0.0, squares / double(anchors) - average * average));
    }
    return spread / double(dz);
}

// KDE draws around the anchors: each sample's latent is a random anchor's plus Gaussian noise.
struct Draws
{
    std::vector<float> latents;       // count x tokens x dz
    std::vector<size_t> sourceAnchor; // per sample: index into the anchors
    std::vector<float> rows;          // count x rowSize, the anchor's values until decoded
};

Draws drawSamples(const SampleOptions &options, const std::vector<float> &anchorLatents, const std::vector<float> &anchorRows,
                  size_t anchors, int64_t tokens, int64_t dz, int64_t rowSize)
{
    std::mt19937_64 random{static_cast<uint64_t>(options.seed)};
    std::uniform_int_distribution<size_t> pick(0, anchors - 1);
    std::normal_distribution<float> gaussian(0.0f, 1.0f);
    Draws draws;
    draws.latents.resize(size_t(options.count * tokens * dz));
    draws.sourceAnchor.resize(size_t(options.count));
    draws.rows.resize(size_t(options.count * rowSize));
    for (int64_t s = 0; s < options.count; ++s) {
        const size_t a = pick(random);
        draws.sourceAnchor[size_t(s)] = a;
        std::vector<float> noise(static_cast<size_t>(dz));
        for (float &v : noise)
            v = float(options.bandwidth) * gaussian(random);
        for (int64_t t = 0; t < tokens; ++t)
            for (int64_t k = 0; k < dz; ++k)
                draws.latents[size_t((s * tokens + t) * dz + k)] =
                    anchorLatents[a * size_t(tokens * dz) + size_t(t * dz + k)] + noise[size_t(k)];
        // Values SANE does not tokenise (none for our architectures) come from the anchor.
        std::copy_n(anchorRows.begin() + int64_t(a) * rowSize, rowSize, draws.rows.begin() + s * rowSize);
    }
    return draws;
}

// The samples' training settings (their anchors'), and the same for freshly initialised networks.
std::pair<std::vector<ModelConfig>, std::vector<ModelConfig>> sampleConfigs(const GenerationSource &source,
                                                                           const SampleOptions &options,
                                                                           const std::vector<int64_t> &anchors,
                                                                           const Draws &draws)
{
    const int batchSize = source.configOf(anchors.front(), "", 0).batchSize;
    std::vector<ModelConfig> samples, scratch;
    for (int64_t s = 0; s < options.count; ++s) {
        char id[32];
        std::snprintf(id, sizeof id, "sample-%04lld", static_cast<long long>(s));
        ModelConfig config = source.configOf(anchors[draws.sourceAnchor[size_t(s)]], id, options.seed * 1000 + s);
        config.batchSize = batchSize;
        samples.push_back(config);
        config.id = std::string("scratch-") + id;
        scratch.push_back(config);
    }
    return {samples, scratch};
}

// The `keep` samples of best validation accuracy, best first.
// Each process of the group evaluates a block of the samples; the blocks (metrics and the weights
// BatchNorm conditioning re-estimated) are added up, so that every process holds all of them.
NetworkEvaluation evaluateInBlocks(const ZooDatasetSetup &setup, const std::vector<ModelConfig> &configs,
                                   std::vector<float> &rows, const std::string &device, int64_t bnIterations,
                                   ProcessGroup &group)
{
    const size_t n = configs.size(), rowSize = rows.size() / std::max<size_t>(1, n);
    const size_t lo = n * size_t(group.rank()) / size_t(group.size()), hi = n * size_t(group.rank() + 1) / size_t(group.size());
    std::vector<float> block(rows.begin() + long(lo * rowSize), rows.begin() + long(hi * rowSize));
    NetworkEvaluation mine;
    if (hi > lo)
        mine = evaluateNetworks(setup, {configs.begin() + long(lo), configs.begin() + long(hi)}, block, device, bnIterations);
    constexpr size_t Fields = 5;
    std::vector<double> numbers(n * Fields, 0.0);
    for (size_t i = 0; i < hi - lo; ++i) {
        const ModelMetrics &m = mine.metrics[i];
        const double values[Fields] = {m.trainLoss, m.trainAccuracy, m.testLoss, m.testAccuracy, mine.validationAccuracy[i]};
        std::copy(values, values + Fields, numbers.begin() + long((lo + i) * Fields));
    }
    group.allReduceSum(numbers.data(), int64_t(numbers.size()));
    std::fill(rows.begin(), rows.end(), 0.0f);
    std::copy(block.begin(), block.end(), rows.begin() + long(lo * rowSize));
    group.allReduceSum(rows.data(), int64_t(rows.size()));
    NetworkEvaluation all;
    for (size_t s = 0; s < n; ++s) {
        const double *v = numbers.data() + s * Fields;
        all.metrics.push_back({v[0], v[1], v[2], v[3]});
        all.validationAccuracy.push_back(v[4]);
    }
    return all;
}

std::vector<int64_t> bestSamples(const NetworkEvaluation &evaluation, int64_t count, int64_t keep)
{
    std::vector<int64_t> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return evaluation.validationAccuracy[size_t(a)] > evaluation.validationAccuracy[size_t(b)];
    });
    return {order.begin(), order.begin() + keep};
}

void addSampledModels(GeneratedZoo &out, const GenerationSource &source, const SampleOptions &options,
                      const std::vector<int64_t> &anchors, const Draws &draws, const std::vector<ModelConfig> &configs,
                      const NetworkEvaluation &evaluation, const std::vector<int64_t> &kept,
                      const SourceProvenance *provenance, const std::vector<NetworkProvenance> &figures)
{
    const Zoo &zoo = source.zoo;
    const int64_t rowSize = source.arch().numel();
    const std::set<int64_t> keptSet(kept.begin(), kept.end());
    const Column epochs = zoo.checkpointColumn(zoocol::Epoch);
    for (int64_t s = 0; s < options.count; ++s) {
        const ModelConfig &config = configs[size_t(s)];
        const int64_t anchor = anchors[draws.sourceAnchor[size_t(s)]];
        std::vector<std::pair<std::string, Table::Value>> columns = {
            {zoocol::ModelId, config.id}, {zoocol::Architecture, source.arch().name}, {"dataset", config.dataset},
            {"init", options.control == "copy" ? "copy-control" : "sane-kde"}, {"activation", config.activation}, {"optimizer", config.optimizer},
            {"lr", config.learningRate}, {"weight_decay", config.weightDecay}, {"batch_size", config.batchSize},
            {"origin", "sampled"}, {"kept", keptSet.count(s) ? 1 : 0},
            {"anchor_model", zoo.checkpointValue(anchor, zoocol::ModelId)}, {"anchor_epoch", epochs.number(anchor)},
            {"sample_seed", options.seed}, {"sample_index", s}, {"bandwidth", options.bandwidth},
            {"encoder_id", source.encoder.id()}};
        if (provenance)
            provenance->addColumns(columns, figures[size_t(s)]);
        out.addModel(columns);
        out.addCheckpoint(s, 0, draws.rows.data() + s * rowSize, evaluation.metrics[size_t(s)],
                          evaluation.validationAccuracy[size_t(s)]);
    }
}

// Fine-tunes the kept samples with their anchors' optimizer settings; each epoch is a checkpoint.
std::vector<double> finetuneKept(GeneratedZoo &out, const ZooDatasetSetup &setup, const std::vector<ModelConfig> &configs,
                                 const std::vector<float> &rows, int64_t rowSize, const std::vector<int64_t> &kept,
                                 int epochs, const std::string &device, ProgressReporter *progress)
{
    std::vector<ModelConfig> keptConfigs;
    std::vector<float> keptRows;
    for (int64_t s : kept) {
        keptConfigs.push_back(configs[size_t(s)]);
        keptRows.insert(keptRows.end(), rows.begin() + s * rowSize, rows.begin() + (s + 1) * rowSize);
    }
    PopulationTrainer tuning(setup.network, keptConfigs, setup.data, device);
    tuning.setFlatWeights(keptRows);
    std::vector<double> meanAccuracy;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        const double start = 0.5 + 0.5 * double(epoch - 1) / epochs;
        const std::vector<ModelMetrics> metrics =
            tuning.trainEpoch(progress, start, 0.5 / epochs, "fine-tuning " + std::to_string(epoch));
        const std::vector<ModelMetrics> val = tuning.evaluateValidation();
        const std::vector<float> weights = tuning.flatWeights();
        std::vector<double> accuracy;
        for (size_t i = 0; i < kept.size(); ++i) {
            out.addCheckpoint(kept[i], epoch, weights.data() + int64_t(i) * rowSize, metrics[i], val[i].testAccuracy);
            accuracy.push_back(metrics[i].testAccuracy);
        }
        meanAccuracy.push_back(meanAndStd(accuracy).first);
    }
    return meanAccuracy;
}

std::string sampleProvenance(const SampleOptions &options, const GenerationSource &source)
{
    return nlohmann::json{{"sampled_from", options.zooPath}, {"encoder", options.encoderPath},
                          {"encoder_id", source.encoder.id()}, {"anchors", options.anchors}, {"count", options.count},
                          {"keep", options.keep}, {"bandwidth", options.bandwidth}, {"seed", options.seed},
                          {"finetune_epochs", options.finetuneEpochs}}
        .dump();
}

// The samples' weights: decoded from their latents, or (the copy control) their anchors' own,
// which drawSamples put there, with the hidden units reordered.
void makeSampleWeights(const SampleOptions &options, const Architecture &architecture, SaneEmbedder &embedder, Draws &draws,
                       ProgressReporter *progress)
{
    if (options.control != "copy") {
        reportTo(progress, 0.2, "decoding", std::to_string(options.count) + " samples");
        embedder.decode(draws.latents, options.count, draws.rows.data());
        return;
    }
    const NeuronPermuter permuter(architecture);
    std::mt19937_64 random(static_cast<uint64_t>(options.seed));
    for (int64_t s = 0; s < options.count; ++s)
        permuter.permute(draws.rows.data() + s * architecture.numel(), random);
}

// Every sample's provenance (its anchor's baselines paired among the anchors); the table of the kept.
std::vector<NetworkProvenance> provenanceOfSamples(SourceProvenance &provenance, const std::vector<int64_t> &anchors,
                                                const Draws &draws, const std::vector<ModelConfig> &configs,
                                                const std::vector<int64_t> &kept, SampleReport &report, ProgressReporter *progress)
{
    std::vector<int64_t> sampleAnchors;
    std::vector<std::string> ids;
    for (size_t s = 0; s < configs.size(); ++s) {
        sampleAnchors.push_back(anchors[draws.sourceAnchor[s]]);
        ids.push_back(configs[s].id);
    }
    std::vector<NetworkProvenance> figures = provenance.analyse(draws.rows, sampleAnchors, anchors, progress);
    report.provenance = provenance.table(figures, ids, {kept.begin(), kept.end()});
    return figures;
}

} // namespace

SampleReport sampleModels(const SampleOptions &options, ProgressReporter *progress, ProcessGroup *group)
{
    validate(options);
    const GenerationSource source = GenerationSource::open(options.encoderPath, options.zooPath);
    std::vector<float> anchorRows;
    const std::vector<int64_t> anchors = source.select(options.anchors, &anchorRows);
    if (anchors.empty())
        throw UsageError("no checkpoint matches --anchors '" + options.anchors + "'");
    SampleReport report;
    report.anchors = int64_t(anchors.size());
    report.dataset = source.sharedValue(anchors, "dataset");
    report.activation = source.sharedValue(anchors, "activation");
    std::vector<double> anchorAccuracy;
    const Column testAccuracy = source.zoo.checkpointColumn("test_acc");
    for (int64_t c : anchors)
        anchorAccuracy.push_back(testAccuracy.number(c));
    report.anchorTestAccuracy = meanAndStd(anchorAccuracy).first;

    reportTo(progress, 0.05, "embedding anchors", std::to_string(anchors.size()) + " checkpoints");
    SaneEmbedder embedder(source.encoder, source.arch(), options.embed);
    const int64_t tokens = embedder.layout().length(), dz = embedder.latentSize(), rowSize = source.arch().numel();
    // The samples' weights are held at once: refuse a count whose weights would not fit before allocating.
    if (double(options.count) * double(rowSize) > double(SampleOptions::MaxSampledValues))
        throw UsageError("sampling " + std::to_string(options.count) + " networks of " + std::to_string(rowSize) +
                         " parameters holds more than " + std::to_string(SampleOptions::MaxSampledValues) +
                         " values (8 GB) in memory; sample fewer at a time");
    const std::vector<float> anchorLatents = embedder.latents(anchorRows.data(), int64_t(anchors.size()));
    report.bandwidth = options.bandwidth;
    report.latentSpread = latentSpread(anchorLatents, anchors.size(), tokens, dz);
    Draws draws = drawSamples(options, anchorLatents, anchorRows, anchors.size(), tokens, dz, rowSize);
    makeSampleWeights(options, source.arch(), embedder, draws, progress);

    // Evaluate every sample (validation for the choice, test for the report) and fresh networks.
    reportTo(progress, 0.3, "evaluating", "loading " + report.dataset);
    const ZooDatasetSetup setup = generationData(source, report.dataset);
    const auto [configs, scratchConfigs] = sampleConfigs(source, options, anchors, draws);
    const std::string device = resolveDevice(options.embed.device);
    const NetworkEvaluation evaluation =
        group && group->size() > 1
            ? evaluateInBlocks(setup, configs, draws.rows, device, options.bnConditionIterations, *group)
            : evaluateNetworks(setup, configs, draws.rows, device, options.bnConditionIterations);
    std::vector<double> fresh;
    {
        PopulationTrainer scratch(setup.network, scratchConfigs, setup.data, device);
        for (const ModelMetrics &m : scratch.evaluateInitial())
            fresh.push_back(m.testAccuracy);
    }
    const std::vector<int64_t> kept = bestSamples(evaluation, options.count, options.keep);
    std::vector<double> all, keptAccuracy;
    for (const ModelMetrics &m : evaluation.metrics)
        all.push_back(m.testAccuracy);
    for (int64_t s : kept)
        keptAccuracy.push_back(evaluation.metrics[size_t(s)].testAccuracy);
    std::tie(report.sampledTestAccuracy, report.sampledStd) = meanAndStd(all);
    std::tie(report.keptTestAccuracy, report.keptStd) = meanAndStd(keptAccuracy);
    std::tie(report.scratchTestAccuracy, report.scratchStd) = meanAndStd(fresh);

    // The output zoo: every sample (kept or not) with its provenance, epoch 0 = zero-shot.
    if (group && group->rank() > 0)
        return report; // the first process fine-tunes and writes
    std::unique_ptr<SourceProvenance> provenance;
    std::vector<NetworkProvenance> figures;
    if (options.provenance) {
        ProgressReporter part = partOf(progress, 0.4, options.finetuneEpochs > 0 ? 0.5 : 0.95);
        provenance = std::make_unique<SourceProvenance>(source, embedder, setup, device, options.seed, anchors, &part);
        figures = provenanceOfSamples(*provenance, anchors, draws, configs, kept, report, &part);
    }
    GeneratedZoo out(source, "SANE samples from " + source.zoo.name, sampleProvenance(options, source));
    addSampledModels(out, source, options, anchors, draws, configs, evaluation, kept, provenance.get(), figures);
    if (options.finetuneEpochs > 0)
        report.finetunedTestAccuracy = finetuneKept(out, setup, configs, draws.rows, rowSize, kept, options.finetuneEpochs,
                                                    device, progress);
    out.write(options.output);
    reportTo(progress, 1.0, "done", std::to_string(options.keep) + " of " + std::to_string(options.count) + " samples kept");
    return report;
}

} // namespace wse
