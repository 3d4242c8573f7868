#include "sane/decoder.h"

#include "common/error.h"
#include "common/filekind.h"
#include "jobs/progress.h"
#include "sane/generatedprovenance.h"
#include "sane/generation.h"
#include "torchutil/device.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace wse {

std::string DecodeReport::toText() const
{
    std::string text;
    if (!std::isnan(r2)) {
        char line[64];
        std::snprintf(line, sizeof line, "reconstruction R2 (standardised weights): %.4f; per layer:", r2);
        text += line;
        for (double value : layerR2) {
            std::snprintf(line, sizeof line, " %.3f", value);
            text += line;
        }
        text += "\n";
    }
    text += "     t   decoded test acc   original\n";
    for (const DecodedPoint &p : points) {
        char line[96];
        std::snprintf(line, sizeof line, "%6.3f   %16.3f   %s\n", p.t, p.decodedTestAccuracy,
                      std::isnan(p.originalTestAccuracy) ? "" : std::to_string(p.originalTestAccuracy).substr(0, 5).c_str());
        text += line;
    }
    return text + provenance;
}

namespace {

// What is decoded: one checkpoint, the path between two, or a blend of several with weights.
struct Endpoints
{
    std::vector<int64_t> checkpoints;
    std::vector<double> weights; // a blend's, summing to 1
    size_t heaviest = 0;         // a blend's untokenised values and recipe come from its heaviest part
    bool blending = false;
    int steps = 1;
};

Endpoints chooseEndpoints(const DecodeOptions &options, const GenerationSource &source)
{
    Endpoints ends;
    ends.blending = !options.blend.empty();
    if (ends.blending) {
        double total = 0;
        for (const auto &[checkpoint, weight] : options.blend) {
            if (!(weight >= 0))
                throw UsageError("blend weights must be >= 0 (got " + std::to_string(weight) + " for " + checkpoint + ")");
            ends.checkpoints.push_back(source.checkpoint(checkpoint));
            ends.weights.push_back(weight);
            total += weight;
            if (weight > ends.weights[ends.heaviest])
                ends.heaviest = ends.weights.size() - 1;
        }
        if (!(total > 0))
            throw UsageError("a blend needs a positive weight");
        for (double &weight : ends.weights)
            weight /= total;
    } else {
        ends.checkpoints.push_back(source.checkpoint(options.from));
        if (!options.to.empty())
            ends.checkpoints.push_back(source.checkpoint(options.to));
    }
    ends.steps = ends.blending || options.to.empty() ? 1 : options.steps;
    if (ends.steps < 2 && !options.to.empty())
        throw UsageError("a path needs at least 2 steps");
    return ends;
}

// The endpoint whose untokenised values and recipe step `s` takes: the nearer one, or the heaviest.
size_t donorOf(const Endpoints &ends, double t)
{
    return ends.blending ? ends.heaviest : t > 0.5 ? 1 : 0;
}

// The latent of every step (the blend, or the straight line between the ends) and the report's
// points; `rows` gets the donors' values, overwritten where decoding fills them.
void planSteps(const Endpoints &ends, const std::vector<float> &endLatents, const std::vector<float> &endRows,
               int64_t rowSize, const Column &testAccuracy, std::vector<float> &latents, std::vector<float> &rows,
               DecodeReport &report)
{
    const size_t latentSize = endLatents.size() / ends.checkpoints.size();
    latents.assign(latentSize * size_t(ends.steps), 0.0f);
    rows.assign(size_t(rowSize) * size_t(ends.steps), 0.0f);
    for (int s = 0; s < ends.steps; ++s) {
        const double t = ends.steps == 1 ? 0.0 : double(s) / double(ends.steps - 1);
        for (size_t i = 0; i < latentSize; ++i) {
            double value = 0;
            if (ends.blending)
                for (size_t e = 0; e < ends.checkpoints.size(); ++e)
                    value += ends.weights[e] * endLatents[e * latentSize + i];
            else
                value = ends.checkpoints.size() == 1 ? endLatents[i] : (1 - t) * endLatents[i] + t * endLatents[latentSize + i];
            latents[size_t(s) * latentSize + i] = float(value);
        }
        std::copy_n(endRows.begin() + int64_t(donorOf(ends, t)) * rowSize, rowSize, rows.begin() + s * rowSize);
        DecodedPoint point;
        point.t = t;
        point.originalTestAccuracy = ends.blending                                      ? NAN
                                     : s == 0                                           ? testAccuracy.number(ends.checkpoints[0])
                                     : s == ends.steps - 1 && ends.checkpoints.size() == 2 ? testAccuracy.number(ends.checkpoints[1])
                                                                                        : NAN;
        report.points.push_back(point);
    }
}

// How well the encoder reproduces one checkpoint: R2 of the standardised tokens, overall and per layer.
void measureReconstruction(const TokenLayout &layout, const float *originalRow, const float *decodedRow, DecodeReport &report)
{
    std::vector<float> original(size_t(layout.length() * layout.tokenSize())), decoded(original.size());
    layout.tokens(originalRow, original.data());
    layout.tokens(decodedRow, decoded.data());
    double allError = 0, allTotal = 0, allSum = 0, allCount = 0;
    for (const auto &[first, last] : layout.layerRanges()) {
        double sum = 0, count = 0, error = 0, squares = 0;
        for (int64_t i = first * layout.tokenSize(); i < last * layout.tokenSize(); ++i)
            if (layout.mask()[size_t(i)]) {
                sum += original[size_t(i)];
                squares += double(original[size_t(i)]) * original[size_t(i)];
                error += std::pow(double(decoded[size_t(i)]) - original[size_t(i)], 2);
                ++count;
            }
        report.layerR2.push_back(1.0 - error / std::max(1e-30, squares - sum * sum / count));
        allError += error;
        allTotal += squares;
        allSum += sum;
        allCount += count;
    }
    report.r2 = 1.0 - allError / std::max(1e-30, allTotal - allSum * allSum / allCount);
}

} // namespace

DecodeReport decodeCheckpoints(const DecodeOptions &options, ProgressReporter *progress)
{
    checkOutputPath(options.output, {options.zooPath, options.encoderPath});
    const GenerationSource source = GenerationSource::open(options.encoderPath, options.zooPath);
    const Endpoints ends = chooseEndpoints(options, source);
    const std::string dataset = source.sharedValue(ends.checkpoints, "dataset");
    source.sharedValue(ends.checkpoints, "activation");
    const std::string what = ends.blending ? "a blend of " + std::to_string(ends.checkpoints.size()) + " checkpoints"
                                           : options.from + (options.to.empty() ? "" : " and " + options.to);
    reportTo(progress, 0.1, "encoding", what);
    const std::vector<float> endRows = source.rows(ends.checkpoints);
    SaneEmbedder embedder(source.encoder, source.arch(), options.embed);
    const int64_t rowSize = source.arch().numel();
    const std::vector<float> endLatents = embedder.latents(endRows.data(), int64_t(ends.checkpoints.size()));
    std::vector<float> latents, rows;
    DecodeReport report;
    planSteps(ends, endLatents, endRows, rowSize, source.zoo.checkpointColumn("test_acc"), latents, rows, report);
    reportTo(progress, 0.3, "decoding", std::to_string(ends.steps) + " networks");
    embedder.decode(latents, ends.steps, rows.data());
    if (options.to.empty() && !ends.blending)
        measureReconstruction(embedder.layout(), endRows.data(), rows.data(), report);

    const ZooDatasetSetup setup = generationData(source, dataset);
    std::vector<ModelConfig> configs;
    for (int s = 0; s < ends.steps; ++s) {
        char id[32];
        std::snprintf(id, sizeof id, "decoded-%03d", s);
        configs.push_back(source.configOf(ends.checkpoints[donorOf(ends, report.points[size_t(s)].t)], id, s));
        configs.back().batchSize = configs.front().batchSize;
    }
    const std::string device = resolveDevice(options.embed.device);
    const NetworkEvaluation evaluation = evaluateNetworks(setup, configs, rows, device, options.bnConditionIterations);
    std::unique_ptr<SourceProvenance> provenance;
    std::vector<NetworkProvenance> figures;
    if (options.provenance) {
        ProgressReporter part = partOf(progress, 0.5, 0.95);
        provenance = std::make_unique<SourceProvenance>(source, embedder, setup, device, 42, ends.checkpoints, &part);
        std::vector<int64_t> donors;
        std::vector<std::string> ids;
        std::vector<size_t> shown;
        for (int s = 0; s < ends.steps; ++s) {
            donors.push_back(ends.checkpoints[donorOf(ends, report.points[size_t(s)].t)]);
            ids.push_back(configs[size_t(s)].id);
            shown.push_back(size_t(s));
        }
        figures = provenance->analyse(rows, donors, ends.checkpoints, &part);
        report.provenance = provenance->table(figures, ids, shown);
    }
    GeneratedZoo out(source, "SANE decodings from " + source.zoo.name,
                     nlohmann::json{{"decoded_from", options.zooPath}, {"encoder", options.encoderPath},
                                    {"encoder_id", source.encoder.id()}, {"from", options.from}, {"to", options.to},
                                    {"blend", options.blend}, {"steps", ends.steps}}
                         .dump());
    for (int s = 0; s < ends.steps; ++s) {
        report.points[size_t(s)].decodedTestAccuracy = evaluation.metrics[size_t(s)].testAccuracy;
        const ModelConfig &config = configs[size_t(s)];
        std::vector<std::pair<std::string, Table::Value>> columns = {
            {zoocol::ModelId, config.id}, {zoocol::Architecture, source.arch().name}, {"dataset", config.dataset},
            {"init", "sane-decoded"}, {"activation", config.activation}, {"optimizer", config.optimizer},
            {"origin", "decoded"}, {"from", ends.blending ? what : options.from}, {"to", options.to},
            {"t", report.points[size_t(s)].t}, {"encoder_id", source.encoder.id()}};
        if (provenance)
            provenance->addColumns(columns, figures[size_t(s)]);
        out.addModel(columns);
        out.addCheckpoint(s, 0, rows.data() + int64_t(s) * rowSize, evaluation.metrics[size_t(s)],
                          evaluation.validationAccuracy[size_t(s)]);
    }
    out.write(options.output);
    reportTo(progress, 1.0, "done", std::to_string(ends.steps) + " networks decoded");
    return report;
}

} // namespace wse
