#include "sane/decoder.h"

#include "common/error.h"
#include "common/filekind.h"
#include "jobs/progress.h"
#include "sane/generation.h"
#include "torchutil/device.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

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
    return text;
}

DecodeReport decodeCheckpoints(const DecodeOptions &options, ProgressReporter *progress)
{
    checkOutputPath(options.output, {options.zooPath, options.encoderPath});
    const GenerationSource source = GenerationSource::open(options.encoderPath, options.zooPath);
    const bool blending = !options.blend.empty();
    std::vector<int64_t> ends;
    std::vector<double> weights;
    size_t heaviest = 0; // the blend's untokenised values and recipe come from its heaviest part
    if (blending) {
        double total = 0;
        for (const auto &[checkpoint, weight] : options.blend) {
            if (!(weight >= 0))
                throw UsageError("blend weights must be >= 0 (got " + std::to_string(weight) + " for " + checkpoint + ")");
            ends.push_back(source.checkpoint(checkpoint));
            weights.push_back(weight);
            total += weight;
            if (weight > weights[heaviest])
                heaviest = weights.size() - 1;
        }
        if (!(total > 0))
            throw UsageError("a blend needs a positive weight");
        for (double &weight : weights)
            weight /= total;
    } else {
        ends.push_back(source.checkpoint(options.from));
        if (!options.to.empty())
            ends.push_back(source.checkpoint(options.to));
    }
    const int steps = blending || options.to.empty() ? 1 : options.steps;
    if (steps < 2 && !options.to.empty())
        throw UsageError("a path needs at least 2 steps");
    const std::string dataset = source.sharedValue(ends, "dataset");
    source.sharedValue(ends, "activation");
    const std::string what = blending ? "a blend of " + std::to_string(ends.size()) + " checkpoints"
                                      : options.from + (options.to.empty() ? "" : " and " + options.to);
    if (progress)
        progress->report(0.1, "encoding", what);

    const std::vector<float> endRows = source.rows(ends);
    SaneEmbedder embedder(source.encoder, source.arch(), options.embed);
    const int64_t rowSize = source.arch().numel();
    const std::vector<float> endLatents = embedder.latents(endRows.data(), int64_t(ends.size()));
    const size_t latentSize = endLatents.size() / ends.size();
    std::vector<float> latents(latentSize * size_t(steps));
    std::vector<float> rows(size_t(rowSize) * size_t(steps));
    DecodeReport report;
    const Column testAccuracy = source.zoo.checkpointColumn("test_acc");
    for (int s = 0; s < steps; ++s) {
        const double t = steps == 1 ? 0.0 : double(s) / double(steps - 1);
        if (blending) {
            for (size_t i = 0; i < latentSize; ++i) {
                double sum = 0;
                for (size_t e = 0; e < ends.size(); ++e)
                    sum += weights[e] * endLatents[e * latentSize + i];
                latents[i] = float(sum);
            }
        } else {
            for (size_t i = 0; i < latentSize; ++i)
                latents[size_t(s) * latentSize + i] =
                    ends.size() == 1 ? endLatents[i] : float((1 - t) * endLatents[i] + t * endLatents[latentSize + i]);
        }
        // Untokenised values (none for our architectures) come from the nearer endpoint.
        const size_t donor = blending ? heaviest : t > 0.5 ? 1 : 0;
        std::copy_n(endRows.begin() + int64_t(donor) * rowSize, rowSize, rows.begin() + s * rowSize);
        DecodedPoint point;
        point.t = t;
        point.originalTestAccuracy = blending                             ? NAN
                                     : s == 0                             ? testAccuracy.number(ends[0])
                                     : s == steps - 1 && ends.size() == 2 ? testAccuracy.number(ends[1])
                                                                          : NAN;
        report.points.push_back(point);
    }
    if (progress)
        progress->report(0.3, "decoding", std::to_string(steps) + " networks");
    embedder.decode(latents, steps, rows.data());
    if (options.to.empty() && !blending) { // how well the encoder reproduces this checkpoint, layer by layer
        const TokenLayout &layout = embedder.layout();
        std::vector<float> original(size_t(layout.length() * layout.tokenSize())), decoded(original.size());
        layout.tokens(endRows.data(), original.data());
        layout.tokens(rows.data(), decoded.data());
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

    const ZooDatasetSetup setup = generationData(source, dataset);
    std::vector<ModelConfig> configs;
    for (int s = 0; s < steps; ++s) {
        char id[32];
        std::snprintf(id, sizeof id, "decoded-%03d", s);
        configs.push_back(source.configOf(ends[blending ? heaviest : report.points[size_t(s)].t > 0.5 ? 1 : 0], id, s));
        configs.back().batchSize = configs.front().batchSize;
    }
    const NetworkEvaluation evaluation = evaluateNetworks(setup, configs, rows, resolveDevice(options.embed.device), options.bnConditionIterations);
    GeneratedZoo out(source, "SANE decodings from " + source.zoo.name,
                     nlohmann::json{{"decoded_from", options.zooPath}, {"encoder", options.encoderPath},
                                    {"encoder_id", source.encoder.id()}, {"from", options.from}, {"to", options.to},
                                    {"blend", options.blend},
                                    {"steps", steps}, {"recipe", nlohmann::json::parse(source.zoo.provenance)}}
                         .dump());
    for (int s = 0; s < steps; ++s) {
        report.points[size_t(s)].decodedTestAccuracy = evaluation.metrics[size_t(s)].testAccuracy;
        const ModelConfig &config = configs[size_t(s)];
        out.addModel({{zoocol::ModelId, config.id}, {zoocol::Architecture, source.arch().name}, {"dataset", config.dataset},
                      {"init", "sane-decoded"}, {"activation", config.activation}, {"optimizer", config.optimizer},
                      {"origin", "decoded"}, {"from", blending ? what : options.from}, {"to", options.to}, {"t", report.points[size_t(s)].t},
                      {"encoder_id", source.encoder.id()}});
        out.addCheckpoint(s, 0, rows.data() + int64_t(s) * rowSize, evaluation.metrics[size_t(s)],
                          evaluation.validationAccuracy[size_t(s)]);
    }
    out.write(options.output);
    if (progress)
        progress->report(1.0, "done", std::to_string(steps) + " networks decoded");
    return report;
}

} // namespace wse
