#include "training/pruning.h"

#include "common/error.h"
#include "common/filekind.h"
#include "common/text.h"
#include "jobs/progress.h"
#include "sane/generation.h"
#include "torchutil/device.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace wse {

namespace {

bool isPrunable(const TensorSpec &tensor)
{
    return tensor.shape.size() >= 2 && tensor.key.size() > 7 && endsWith(tensor.key, ".weight");
}

void validate(const PruneOptions &options)
{
    if (options.sparsities.empty())
        throw UsageError("pruning needs at least one --sparsity");
    for (double s : options.sparsities)
        if (!(s > 0 && s < 1))
            throw UsageError("a sparsity is a share of weights in (0, 1), e.g. 0.8 (got " + std::to_string(s) + ")");
    if (options.finetuneEpochs < 0)
        throw UsageError("--finetune takes a number of epochs >= 0");
    checkOutputPath(options.output, {options.zooPath});
}

// The checkpoints to prune (the filter's, or each model's last epoch) and their weights; sets the
// source's architecture to theirs.
std::vector<int64_t> chooseCheckpoints(GenerationSource &source, const std::string &filter, std::vector<float> &rows)
{
    std::vector<int64_t> chosen;
    int chosenArchitecture = -1;
    for (int a = 0; a < int(source.zoo.architectures.size()); ++a) {
        source.architecture = a;
        std::vector<float> candidateRows;
        std::vector<int64_t> matching = source.select(filter, &candidateRows);
        if (matching.empty())
            continue;
        if (!chosen.empty())
            throw UsageError("the checkpoints to prune are of several architectures (" +
                             source.zoo.architectures[size_t(chosenArchitecture)].name + ", " + source.arch().name +
                             "); choose one with --checkpoints 'architecture == \"...\"'");
        chosenArchitecture = a;
        chosen = std::move(matching);
        rows = std::move(candidateRows);
    }
    source.architecture = chosenArchitecture;
    if (chosen.empty())
        throw UsageError(filter.empty() ? source.zooPath + " has no checkpoint with finite weights"
                                        : "no checkpoint matches --checkpoints '" + filter + "'");
    if (!filter.empty())
        return chosen;
    // Each model's last epoch.
    const Column &model = source.zoo.checkpoints.get(zoocol::Model), &epoch = source.zoo.checkpoints.get(zoocol::Epoch);
    std::map<int64_t, size_t> last;
    for (size_t i = 0; i < chosen.size(); ++i) {
        const int64_t m = int64_t(model.number(chosen[i]));
        if (!last.count(m) || epoch.number(chosen[i]) > epoch.number(chosen[last[m]]))
            last[m] = i;
    }
    const int64_t rowSize = source.arch().numel();
    std::vector<int64_t> latest;
    std::vector<float> latestRows;
    for (const auto &[m, i] : last) {
        latest.push_back(chosen[i]);
        latestRows.insert(latestRows.end(), rows.begin() + int64_t(i) * rowSize, rows.begin() + int64_t(i + 1) * rowSize);
    }
    rows = std::move(latestRows);
    return latest;
}

using Columns = std::vector<std::pair<std::string, Table::Value>>;

void setColumn(Columns &columns, const std::string &name, Table::Value value)
{
    for (auto &[key, existing] : columns)
        if (key == name) {
            existing = std::move(value);
            return;
        }
    columns.emplace_back(name, std::move(value));
}

struct Network // a dense source or a twin, in the output zoo
{
    int64_t checkpoint = 0; // the source checkpoint in the zoo
    double target = 0, sparsity = 0;
    bool twin = false;
    ModelConfig config;
};

std::string sparsityTag(double sparsity)
{
    char text[16];
    std::snprintf(text, sizeof text, "p%02d", int(std::lround(sparsity * 100)));
    return text;
}

} // namespace

double magnitudePrune(const Architecture &architecture, float *row, double sparsity, bool global)
{
    std::vector<std::vector<float *>> groups(1);
    int64_t offset = 0;
    for (const TensorSpec &tensor : architecture.tensors) {
        if (isPrunable(tensor)) {
            if (!global && !groups.back().empty())
                groups.emplace_back();
            for (int64_t i = 0; i < tensor.numel(); ++i)
                groups.back().push_back(row + offset + i);
        }
        offset += tensor.numel();
    }
    int64_t total = 0, zeros = 0;
    for (std::vector<float *> &values : groups) {
        // As torch.nn.utils.prune: round(amount * n) values, Python's round (half to even).
        const auto k = int64_t(std::nearbyint(sparsity * double(values.size())));
        auto smaller = [](const float *a, const float *b) {
            return std::fabs(*a) < std::fabs(*b) || (std::fabs(*a) == std::fabs(*b) && a < b);
        };
        if (k > 0 && k <= int64_t(values.size())) {
            std::nth_element(values.begin(), values.begin() + (k - 1), values.end(), smaller);
            for (int64_t i = 0; i < k; ++i)
                *values[size_t(i)] = 0.0f;
        }
        total += int64_t(values.size());
        zeros += std::count_if(values.begin(), values.end(), [](const float *v) { return *v == 0.0f; });
    }
    return total > 0 ? double(zeros) / double(total) : 0.0;
}

std::string PruneReport::toText() const
{
    std::string text = "source                 sparsity  reached  dense acc  pruned acc  fine-tuned acc\n";
    for (const PrunedTwin &t : twins) {
        char line[160];
        std::snprintf(line, sizeof line, "%-22s %8.2f %8.3f %10.3f %11.3f", t.source.c_str(), t.targetSparsity, t.sparsity,
                      t.denseTestAccuracy, t.prunedTestAccuracy);
        text += line;
        if (!t.finetunedTestAccuracy.empty()) {
            std::snprintf(line, sizeof line, " %15.3f (epoch %zu)", t.finetunedTestAccuracy.back(), t.finetunedTestAccuracy.size());
            text += line;
        }
        text += "\n";
    }
    return text;
}

namespace {

// The dense sources, then their twins at every sparsity; `weights` gets their rows in that order.
std::vector<Network> makeTwins(const GenerationSource &source, const std::vector<int64_t> &chosen, const std::vector<float> &rows,
                               const PruneOptions &options, std::vector<float> &weights)
{
    const int64_t rowSize = source.arch().numel();
    std::vector<Network> networks;
    weights = rows;
    for (int64_t c : chosen)
        networks.push_back({c, 0.0, 0.0, false, source.configOf(c, source.zoo.checkpointName(c), 0)});
    for (size_t i = 0; i < chosen.size(); ++i)
        for (double target : options.sparsities) {
            std::vector<float> twin(rows.begin() + int64_t(i) * rowSize, rows.begin() + int64_t(i + 1) * rowSize);
            const double reached = magnitudePrune(source.arch(), twin.data(), target, options.global);
            const std::string id = source.zoo.checkpointValue(chosen[i], zoocol::ModelId) + "-e" +
                                   source.zoo.checkpointValue(chosen[i], zoocol::Epoch) + "-" + sparsityTag(target);
            networks.push_back({chosen[i], target, reached, true, source.configOf(chosen[i], id, int64_t(networks.size()))});
            weights.insert(weights.end(), twin.begin(), twin.end());
        }
    return networks;
}

// One model row per network: its source model's columns, with where it comes from.
void addModels(GeneratedZoo &out, const GenerationSource &source, const std::vector<Network> &networks, const PruneOptions &options)
{
    const Column &modelOf = source.zoo.checkpoints.get(zoocol::Model);
    for (const Network &n : networks) {
        Columns columns = source.zoo.models.row(int64_t(modelOf.number(n.checkpoint)));
        setColumn(columns, "origin", n.twin ? "pruned" : "dense");
        setColumn(columns, "sparsity", n.sparsity);
        setColumn(columns, "target_sparsity", n.target);
        if (n.twin) {
            setColumn(columns, zoocol::ModelId, n.config.id);
            setColumn(columns, "source_checkpoint", source.zoo.checkpointName(n.checkpoint));
            setColumn(columns, "pruning", options.global ? "global" : "per-layer");
        }
        out.addModel(columns);
    }
}

// Fine-tunes the twins among `members` (indices into the networks, `rows` theirs in that order)
// with their masks kept; every epoch is a checkpoint.
void finetuneTwins(GeneratedZoo &out, const ZooDatasetSetup &setup, const std::vector<Network> &networks,
                   const std::vector<size_t> &members, const std::vector<float> &rows, const PruneOptions &options,
                   const std::string &device, std::vector<PrunedTwin> &twins, ProgressReporter *progress)
{
    const int64_t rowSize = int64_t(rows.size() / members.size());
    std::vector<size_t> tuned;
    std::vector<ModelConfig> configs;
    std::vector<float> tunedRows;
    for (size_t g = 0; g < members.size(); ++g)
        if (networks[members[g]].twin) {
            tuned.push_back(members[g]);
            configs.push_back(networks[members[g]].config);
            configs.back().batchSize = configs.front().batchSize;
            tunedRows.insert(tunedRows.end(), rows.begin() + int64_t(g) * rowSize, rows.begin() + int64_t(g + 1) * rowSize);
        }
    if (tuned.empty())
        return;
    PopulationTrainer trainer(setup.network, configs, setup.data, device);
    trainer.setFlatWeights(tunedRows);
    trainer.keepZeroWeightsZero();
    for (int epoch = 1; epoch <= options.finetuneEpochs; ++epoch) {
        ProgressReporter part = partOf(progress, double(epoch - 1) / options.finetuneEpochs, double(epoch) / options.finetuneEpochs);
        const std::vector<ModelMetrics> metrics = trainer.trainEpoch(&part, 0.0, 1.0, "fine-tuning " + std::to_string(epoch));
        const std::vector<ModelMetrics> validation = trainer.evaluateValidation();
        const std::vector<float> weights = trainer.flatWeights();
        for (size_t t = 0; t < tuned.size(); ++t) {
            out.addCheckpoint(int64_t(tuned[t]), epoch, weights.data() + int64_t(t) * rowSize, metrics[t], validation[t].testAccuracy);
            twins[tuned[t]].finetunedTestAccuracy.push_back(metrics[t].testAccuracy);
        }
    }
}

// Evaluates the networks of one dataset (dense and pruned alike, on the same data), writes their
// checkpoints and fills their report lines; then fine-tunes the twins.
void evaluateDataset(GeneratedZoo &out, const GenerationSource &source, const std::string &dataset,
                     const std::vector<Network> &networks, const std::vector<size_t> &members, const std::vector<float> &weights,
                     const PruneOptions &options, const std::string &device, std::vector<PrunedTwin> &twins,
                     ProgressReporter *progress)
{
    const int64_t rowSize = source.arch().numel();
    const ZooDatasetSetup setup = generationData(source, dataset);
    std::vector<ModelConfig> configs;
    std::vector<float> rows;
    for (size_t n : members) {
        configs.push_back(networks[n].config);
        configs.back().batchSize = configs.front().batchSize;
        rows.insert(rows.end(), weights.begin() + int64_t(n) * rowSize, weights.begin() + int64_t(n + 1) * rowSize);
    }
    reportTo(progress, 0.0, "evaluating", std::to_string(members.size()) + " networks on " + dataset);
    const NetworkEvaluation evaluation = evaluateNetworks(setup, configs, rows, device, 0);
    std::map<int64_t, double> denseAccuracy;
    for (size_t g = 0; g < members.size(); ++g) {
        const Network &n = networks[members[g]];
        const int epoch = n.twin ? 0 : int(source.zoo.checkpoints.get(zoocol::Epoch).number(n.checkpoint));
        out.addCheckpoint(int64_t(members[g]), epoch, rows.data() + int64_t(g) * rowSize, evaluation.metrics[g],
                          evaluation.validationAccuracy[g]);
        if (!n.twin)
            denseAccuracy[n.checkpoint] = evaluation.metrics[g].testAccuracy;
        twins[members[g]] = {source.zoo.checkpointName(n.checkpoint), n.target, n.sparsity, 0.0, evaluation.metrics[g].testAccuracy, {}};
    }
    for (size_t n : members)
        twins[n].denseTestAccuracy = denseAccuracy[networks[n].checkpoint];
    if (options.finetuneEpochs > 0) {
        ProgressReporter part = partOf(progress, 0.2, 1.0);
        finetuneTwins(out, setup, networks, members, rows, options, device, twins, &part);
    }
}

} // namespace

PruneReport pruneCheckpoints(const PruneOptions &options, ProgressReporter *progress)
{
    validate(options);
    GenerationSource source = GenerationSource::openZoo(options.zooPath);
    std::vector<float> rows, weights;
    const std::vector<int64_t> chosen = chooseCheckpoints(source, options.checkpoints, rows);
    const std::vector<Network> networks = makeTwins(source, chosen, rows, options, weights);
    const nlohmann::json made = {{"pruned_from", options.zooPath}, {"sparsities", options.sparsities},
                                 {"pruning", options.global ? "global" : "per-layer"},
                                 {"finetune_epochs", options.finetuneEpochs}, {"checkpoints", options.checkpoints}};
    GeneratedZoo out(source, "Pruned twins from " + source.zoo.name, made.dump());
    addModels(out, source, networks, options);

    std::map<std::string, std::vector<size_t>> byDataset;
    for (size_t n = 0; n < networks.size(); ++n)
        byDataset[networks[n].config.dataset].push_back(n);
    const std::string device = resolveDevice(options.device);
    std::vector<PrunedTwin> twins(networks.size());
    size_t done = 0;
    for (const auto &[dataset, members] : byDataset) {
        ProgressReporter part = partOf(progress, 0.05 + 0.9 * double(done) / double(networks.size()),
                                       0.05 + 0.9 * double(done + members.size()) / double(networks.size()));
        evaluateDataset(out, source, dataset, networks, members, weights, options, device, twins, &part);
        done += members.size();
    }
    out.write(options.output);
    PruneReport report;
    for (size_t n = 0; n < networks.size(); ++n)
        if (networks[n].twin)
            report.twins.push_back(twins[n]);
    reportTo(progress, 1.0, "done", std::to_string(report.twins.size()) + " pruned twins");
    return report;
}

} // namespace wse
