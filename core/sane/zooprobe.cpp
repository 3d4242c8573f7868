#include "sane/zooprobe.h"

#include "common/error.h"
#include "sane/embeddings.h"
#include "sane/encoderfile.h"
#include "sane/sanedata.h"
#include "sane/saneimport.h"
#include "sane/tokenlayout.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <set>

namespace wse {

namespace {

std::string formatNumber(double value) // "0.873", "-1.2e+01", "n/a"
{
    if (!std::isfinite(value))
        return "n/a";
    char text[32];
    std::snprintf(text, sizeof text, std::abs(value) < 100 ? "%.3f" : "%.2g", value);
    return text;
}

} // namespace

ZooProbeReport probeZoo(const ZooProbeOptions &options)
{
    const Embeddings embeddings = Embeddings::read(options.embeddingsPath);
    const std::string encoderPath = options.encoderPath.empty() ? embeddings.encoderPath : options.encoderPath;
    const SaneEncoder encoder = openEncoder(encoderPath);
    const Zoo zoo = ZooStore::read(options.zooPath, /*withWeights=*/false);
    const Column &checkpointColumn = embeddings.rows.get("checkpoint");
    const int64_t n = embeddings.count();
    if (n == 0)
        throw UsageError(options.embeddingsPath + ": no embeddings");
    std::vector<int64_t> checkpoints(static_cast<size_t>(n));
    for (int64_t r = 0; r < n; ++r) {
        checkpoints[size_t(r)] = int64_t(checkpointColumn.number(r));
        if (checkpoints[size_t(r)] < 0 || checkpoints[size_t(r)] >= zoo.checkpointCount() ||
            zoo.checkpointValue(checkpoints[size_t(r)], zoocol::ModelId) != embeddings.rows.get(zoocol::ModelId).text(r))
            throw UsageError(options.embeddingsPath + " was not made from " + options.zooPath + " (row " + std::to_string(r) +
                             " does not match its checkpoint)");
    }

    ZooProbeReport report;
    report.rows = n;
    // The split: the encoder's own (no leakage from its training), else random by model.
    std::vector<ProbeSplit> split(size_t(n), ProbeSplit::Skip);
    const Column &given = embeddings.rows.get("split");
    bool complete = true;
    for (int64_t r = 0; r < n; ++r)
        complete = complete && !given.text(r).empty();
    std::map<std::string, std::string> bySplit;
    if (!complete) {
        std::set<std::string> ids;
        for (int64_t r = 0; r < n; ++r)
            ids.insert(embeddings.rows.get(zoocol::ModelId).text(r));
        bySplit = splitModels({ids.begin(), ids.end()}, options.seed, {0.7, 0.15, 0.15});
    }
    report.splitSource = complete ? "the encoder's training split by model"
                                  : "random by model (seed " + std::to_string(options.seed) + ")";
    for (int64_t r = 0; r < n; ++r) {
        const std::string name = complete ? given.text(r) : bySplit[embeddings.rows.get(zoocol::ModelId).text(r)];
        split[size_t(r)] = name == "train" ? ProbeSplit::Train : name == "val" ? ProbeSplit::Val : ProbeSplit::Test;
    }

    // Features: SANE embeddings, and LQ statistics of the same standardised tokens.
    std::vector<double> saneFeatures(embeddings.values.begin(), embeddings.values.end());
    report.embeddingDims = embeddings.dims;
    const int architecture = zoo.checkpointArchitecture(checkpoints[0]);
    const Architecture &arch = zoo.architectures[size_t(architecture)];
    const TokenLayout layout(arch, {encoder.config.tokenSize, encoder.config.includeBatchNorm}, encoder.normalization);
    const auto ranges = layout.layerRanges();
    ZooWeightReader reader(options.zooPath, arch.name);
    std::vector<float> row(size_t(arch.numel())), tokens(size_t(layout.length() * layout.tokenSize()));
    std::vector<double> baselineFeatures;
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    for (int64_t r = 0; r < n; ++r) {
        reader.read(int64_t(weightRows.number(checkpoints[size_t(r)])), 1, row.data());
        layout.tokens(row.data(), tokens.data());
        const std::vector<double> features = layerQuintileFeatures(tokens.data(), layout.tokenSize(), ranges);
        baselineFeatures.insert(baselineFeatures.end(), features.begin(), features.end());
    }
    report.baselineDims = int64_t(baselineFeatures.size()) / n;

    const std::vector<std::string> names = zoo.checkpointColumnNames();
    auto has = [&](const std::string &name) { return std::find(names.begin(), names.end(), name) != names.end(); };
    for (const std::string &target : options.targets) {
        if (!has(target))
            continue;
        const Column column = zoo.checkpointColumn(target);
        if (column.isText())
            continue;
        std::vector<double> values(static_cast<size_t>(n));
        for (int64_t r = 0; r < n; ++r)
            values[size_t(r)] = column.number(checkpoints[size_t(r)]);
        report.sane.push_back(ridgeProbe(target, saneFeatures, report.embeddingDims, values, split));
        report.baseline.push_back(ridgeProbe(target, baselineFeatures, report.baselineDims, values, split));
        report.categorical.push_back(false);
    }
    for (const std::string &target : options.categorical) {
        if (!has(target))
            continue;
        const Column column = zoo.checkpointColumn(target);
        std::vector<std::string> labels(static_cast<size_t>(n));
        std::set<std::string> distinct;
        for (int64_t r = 0; r < n; ++r) {
            labels[size_t(r)] = column.displayValue(checkpoints[size_t(r)]);
            distinct.insert(labels[size_t(r)]);
        }
        if (distinct.size() < 2)
            continue;
        report.sane.push_back(classificationProbe(target, saneFeatures, report.embeddingDims, labels, split));
        report.baseline.push_back(classificationProbe(target, baselineFeatures, report.baselineDims, labels, split));
        report.categorical.push_back(true);
    }
    return report;
}

std::string ZooProbeReport::toJson() const
{
    nlohmann::ordered_json j;
    j["rows"] = rows;
    j["split"] = splitSource;
    j["dims"] = {{"sane", embeddingDims}, {"baseline_lq", baselineDims}};
    for (size_t i = 0; i < sane.size(); ++i) {
        auto entry = [&](const ProbeResult &r) {
            nlohmann::ordered_json e{{"metric", categorical[i] ? "accuracy" : "r2"}, {"lambda", r.lambda},
                                     {"train", r.train}, {"val", r.val}, {"test", r.test},
                                     {"n_train", r.trainCount}, {"n_val", r.valCount}, {"n_test", r.testCount}};
            if (categorical[i])
                e["chance"] = r.chance;
            return e;
        };
        j["targets"][sane[i].target] = {{"sane", entry(sane[i])}, {"baseline_lq", entry(baseline[i])}};
    }
    return j.dump(1);
}

std::string ZooProbeReport::toText() const
{
    std::string text = "split: " + splitSource + "; " + std::to_string(rows) + " checkpoints; SANE " +
                       std::to_string(embeddingDims) + "-d, LQ baseline " + std::to_string(baselineDims) + "-d\n";
    char line[200];
    std::snprintf(line, sizeof line, "%-12s %-8s %8s %8s %8s   %8s %8s %8s\n", "target", "metric", "SANE tr", "val", "test",
                  "LQ tr", "val", "test");
    text += line;
    for (size_t i = 0; i < sane.size(); ++i) {
        std::snprintf(line, sizeof line, "%-12s %-8s %8s %8s %8s   %8s %8s %8s%s\n", sane[i].target.c_str(),
                      categorical[i] ? "accuracy" : "R2", formatNumber(sane[i].train).c_str(), formatNumber(sane[i].val).c_str(),
                      formatNumber(sane[i].test).c_str(), formatNumber(baseline[i].train).c_str(),
                      formatNumber(baseline[i].val).c_str(), formatNumber(baseline[i].test).c_str(),
                      categorical[i] ? ("  (chance " + formatNumber(sane[i].chance) + ")").c_str() : "");
        text += line;
    }
    return text;
}

} // namespace wse
