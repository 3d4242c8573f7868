#include "sane/zooprobe.h"

#include "analysis/spectral.h"
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

namespace {

const Column &embeddingsColumn(const Embeddings &embeddings, const std::string &name, bool text, const std::string &path)
{
    const Column *column = embeddings.rows.find(name);
    if (!column || column->isText() != text)
        throw FormatError(path, "/rows/" + name + ": " + (column ? "holds the wrong kind of values" : "missing") +
                                    " (expected " + (text ? "text" : "numbers") + ")");
    return *column;
}

// The zoo checkpoint of each embedding row, checked to be the same model as the row says.
std::vector<int64_t> matchCheckpoints(const Embeddings &embeddings, const Zoo &zoo, const ZooProbeOptions &options)
{
    const Column &checkpointColumn = embeddingsColumn(embeddings, "checkpoint", false, options.embeddingsPath);
    const Column &models = embeddingsColumn(embeddings, zoocol::ModelId, true, options.embeddingsPath);
    std::vector<int64_t> checkpoints(size_t(embeddings.count()));
    for (int64_t r = 0; r < embeddings.count(); ++r) {
        const double value = checkpointColumn.number(r);
        const bool inZoo = value >= 0 && value < double(zoo.checkpointCount());
        checkpoints[size_t(r)] = inZoo ? int64_t(value) : -1;
        if (!inZoo || zoo.checkpointValue(checkpoints[size_t(r)], zoocol::ModelId) != models.text(r))
            throw UsageError(options.embeddingsPath + " was not made from " + options.zooPath + " (row " + std::to_string(r) +
                             " does not match its checkpoint)");
    }
    return checkpoints;
}

// The split: the encoder's own (no leakage from its training), else random by model.
std::vector<ProbeSplit> probeSplit(const Embeddings &embeddings, const ZooProbeOptions &options, ZooProbeReport &report)
{
    const int64_t n = embeddings.count();
    const Column &given = embeddingsColumn(embeddings, "split", true, options.embeddingsPath);
    const Column &models = embeddings.rows.get(zoocol::ModelId);
    bool complete = true;
    for (int64_t r = 0; r < n; ++r)
        complete = complete && !given.text(r).empty();
    std::map<std::string, std::string> bySplit;
    if (!complete) {
        const std::set<std::string> ids(models.texts().begin(), models.texts().end());
        bySplit = splitModels({ids.begin(), ids.end()}, options.seed, {0.7, 0.15, 0.15});
    }
    report.splitSource = complete ? "the encoder's training split by model"
                                  : "random by model (seed " + std::to_string(options.seed) + ")";
    std::vector<ProbeSplit> split(size_t(n), ProbeSplit::Skip);
    for (int64_t r = 0; r < n; ++r) {
        const std::string name = complete ? given.text(r) : bySplit[models.text(r)];
        split[size_t(r)] = name == "train" ? ProbeSplit::Train : name == "val" ? ProbeSplit::Val : ProbeSplit::Test;
    }
    return split;
}

// The baseline: layer-quintile statistics of the same standardised tokens SANE sees.
std::vector<double> baselineFeatures(const Zoo &zoo, const std::string &zooPath, const SaneEncoder &encoder,
                                     const std::vector<int64_t> &checkpoints)
{
    const Architecture &arch = zoo.architectures[size_t(zoo.checkpointArchitecture(checkpoints[0]))];
    const TokenLayout layout(arch, {encoder.config.tokenSize, encoder.config.includeBatchNorm}, encoder.normalization);
    const auto ranges = layout.layerRanges();
    ZooWeightReader reader(zooPath, arch.name);
    std::vector<float> row(size_t(arch.numel())), tokens(size_t(layout.length() * layout.tokenSize()));
    std::vector<double> features;
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    for (int64_t checkpoint : checkpoints) {
        reader.read(int64_t(weightRows.number(checkpoint)), 1, row.data());
        layout.tokens(row.data(), tokens.data());
        const std::vector<double> quintiles = layerQuintileFeatures(tokens.data(), layout.tokenSize(), ranges);
        features.insert(features.end(), quintiles.begin(), quintiles.end());
    }
    return features;
}

// The spectral baseline: per Linear/Conv2d layer alpha, alpha-weighted, log norm, log spectral
// norm, log alpha norm and stable rank (0 where a checkpoint's layer is not evaluable).
std::vector<double> spectralFeatures(const Zoo &zoo, const std::string &zooPath, const std::vector<int64_t> &checkpoints)
{
    const Architecture &arch = zoo.architectures[size_t(zoo.checkpointArchitecture(checkpoints[0]))];
    ZooWeightReader reader(zooPath, arch.name);
    std::vector<float> row(size_t(arch.numel()));
    std::vector<double> features;
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    for (int64_t checkpoint : checkpoints) {
        reader.read(int64_t(weightRows.number(checkpoint)), 1, row.data());
        for (const LayerSpectrum &layer : spectralMetrics(arch, row.data()).layers)
            for (double value : {layer.fit.alpha, layer.alphaWeighted, layer.logNorm, layer.logSpectralNorm,
                                 layer.logAlphaNorm, layer.stableRank})
                features.push_back(std::isfinite(value) ? value : 0.0);
    }
    return features;
}

struct ProbeInputs
{
    const Zoo &zoo;
    const std::vector<int64_t> &checkpoints;
    const std::vector<ProbeSplit> &split;
    const std::vector<double> &sane, &baseline, &spectral;
};

void probeTargets(const ProbeInputs &in, const ZooProbeOptions &options, ZooProbeReport &report)
{
    const size_t n = in.checkpoints.size();
    const std::vector<std::string> names = in.zoo.checkpointColumnNames();
    auto has = [&](const std::string &name) { return std::find(names.begin(), names.end(), name) != names.end(); };
    for (const std::string &target : options.targets) {
        if (!has(target) || in.zoo.checkpointColumn(target).isText())
            continue;
        const Column column = in.zoo.checkpointColumn(target);
        std::vector<double> values(n);
        for (size_t r = 0; r < n; ++r)
            values[r] = column.number(in.checkpoints[r]);
        report.sane.push_back(ridgeProbe(target, in.sane, report.embeddingDims, values, in.split));
        report.baseline.push_back(ridgeProbe(target, in.baseline, report.baselineDims, values, in.split));
        report.spectral.push_back(ridgeProbe(target, in.spectral, report.spectralDims, values, in.split));
        report.categorical.push_back(false);
    }
    for (const std::string &target : options.categorical) {
        if (!has(target))
            continue;
        const Column column = in.zoo.checkpointColumn(target);
        std::vector<std::string> labels(n);
        for (size_t r = 0; r < n; ++r)
            labels[r] = column.displayValue(in.checkpoints[r]);
        if (std::set<std::string>(labels.begin(), labels.end()).size() < 2)
            continue;
        report.sane.push_back(classificationProbe(target, in.sane, report.embeddingDims, labels, in.split));
        report.baseline.push_back(classificationProbe(target, in.baseline, report.baselineDims, labels, in.split));
        report.spectral.push_back(classificationProbe(target, in.spectral, report.spectralDims, labels, in.split));
        report.categorical.push_back(true);
    }
}

} // namespace

ZooProbeReport probeZoo(const ZooProbeOptions &options)
{
    const Embeddings embeddings = Embeddings::read(options.embeddingsPath);
    const std::string encoderPath = options.encoderPath.empty() ? embeddings.encoderPath : options.encoderPath;
    const SaneEncoder encoder = openEncoder(encoderPath);
    const Zoo zoo = ZooStore::read(options.zooPath, /*withWeights=*/false);
    if (embeddings.count() == 0)
        throw UsageError(options.embeddingsPath + ": no embeddings");
    const std::vector<int64_t> checkpoints = matchCheckpoints(embeddings, zoo, options);
    ZooProbeReport report;
    report.rows = embeddings.count();
    const std::vector<ProbeSplit> split = probeSplit(embeddings, options, report);
    // Features: SANE embeddings, and LQ statistics of the same standardised tokens.
    const std::vector<double> sane(embeddings.values.begin(), embeddings.values.end());
    report.embeddingDims = embeddings.dims;
    const std::vector<double> baseline = baselineFeatures(zoo, options.zooPath, encoder, checkpoints);
    report.baselineDims = int64_t(baseline.size()) / embeddings.count();
    const std::vector<double> spectral = spectralFeatures(zoo, options.zooPath, checkpoints);
    report.spectralDims = int64_t(spectral.size()) / embeddings.count();
    probeTargets({zoo, checkpoints, split, sane, baseline, spectral}, options, report);
    return report;
}

std::string ZooProbeReport::toJson() const
{
    nlohmann::ordered_json j;
    j["rows"] = rows;
    j["split"] = splitSource;
    j["dims"] = {{"sane", embeddingDims}, {"baseline_lq", baselineDims}, {"baseline_spectral", spectralDims}};
    for (size_t i = 0; i < sane.size(); ++i) {
        auto entry = [&](const ProbeResult &r) {
            nlohmann::ordered_json e{{"metric", categorical[i] ? "accuracy" : "r2"}, {"lambda", r.lambda},
                                     {"train", r.train}, {"val", r.val}, {"test", r.test},
                                     {"n_train", r.trainCount}, {"n_val", r.valCount}, {"n_test", r.testCount}};
            if (categorical[i])
                e["chance"] = r.chance;
            return e;
        };
        j["targets"][sane[i].target] = {
            {"sane", entry(sane[i])}, {"baseline_lq", entry(baseline[i])}, {"baseline_spectral", entry(spectral[i])}};
    }
    return j.dump(1);
}

std::string ZooProbeReport::toText() const
{
    std::string text = "split: " + splitSource + "; " + std::to_string(rows) + " checkpoints; SANE " +
                       std::to_string(embeddingDims) + "-d, LQ baseline " + std::to_string(baselineDims) +
                       "-d, spectral (WW) baseline " + std::to_string(spectralDims) + "-d\n";
    char line[260];
    std::snprintf(line, sizeof line, "%-12s %-8s %8s %8s %8s   %8s %8s %8s   %8s %8s %8s\n", "target", "metric", "SANE tr",
                  "val", "test", "LQ tr", "val", "test", "WW tr", "val", "test");
    text += line;
    for (size_t i = 0; i < sane.size(); ++i) {
        std::snprintf(line, sizeof line, "%-12s %-8s %8s %8s %8s   %8s %8s %8s   %8s %8s %8s%s\n", sane[i].target.c_str(),
                      categorical[i] ? "accuracy" : "R2", formatNumber(sane[i].train).c_str(), formatNumber(sane[i].val).c_str(),
                      formatNumber(sane[i].test).c_str(), formatNumber(baseline[i].train).c_str(),
                      formatNumber(baseline[i].val).c_str(), formatNumber(baseline[i].test).c_str(),
                      formatNumber(spectral[i].train).c_str(), formatNumber(spectral[i].val).c_str(),
                      formatNumber(spectral[i].test).c_str(),
                      categorical[i] ? ("  (chance " + formatNumber(sane[i].chance) + ")").c_str() : "");
        text += line;
    }
    return text;
}


} // namespace wse
