#include "sane/normalization.h"

#include "common/error.h"
#include "sane/tokenizer.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace wse {

namespace {

bool isNormalisedKey(const std::string &key, bool includeBatchNorm)
{
    if (!includeBatchNorm && isBatchNormKey(key))
        return false;
    return key.find("weight") != std::string::npos || key.find("running_mean") != std::string::npos ||
           key.find("running_var") != std::string::npos;
}

// The official partner key: "weight" -> "bias" (first occurrence); for running statistics the
// replacement changes nothing and the key is its own partner.
std::string partnerKey(const std::string &key)
{
    const size_t at = key.find("weight");
    return at == std::string::npos ? key : key.substr(0, at) + "bias" + key.substr(at + 6);
}

struct Span
{
    int64_t offset = -1;
    int64_t count = 0;
};

Span spanOf(const Architecture &architecture, const std::string &key)
{
    int64_t offset = 0;
    for (const TensorSpec &tensor : architecture.tensors) {
        if (tensor.key == key)
            return {offset, tensor.numel()};
        offset += tensor.numel();
    }
    return {};
}

// Applies f to the tensor of `stats.key` and its partner (twice when the partner is the key).
template <typename F> void forEachTarget(const Architecture &architecture, const LayerStatistics &stats, float *row, F f)
{
    const Span own = spanOf(architecture, stats.key), partner = spanOf(architecture, partnerKey(stats.key));
    for (const Span &span : {own, partner})
        if (span.offset >= 0)
            for (int64_t i = 0; i < span.count; ++i)
                row[span.offset + i] = f(row[span.offset + i]);
}

} // namespace

LayerStandardization LayerStandardization::compute(const Architecture &architecture, int64_t count,
                                                   const std::function<const float *(int64_t)> &row, bool includeBatchNorm)
{
    LayerStandardization result;
    for (const TensorSpec &tensor : architecture.tensors) {
        if (!isNormalisedKey(tensor.key, includeBatchNorm))
            continue;
        const Span own = spanOf(architecture, tensor.key), partner = spanOf(architecture, partnerKey(tensor.key));
        double meanSum = 0.0, varianceSum = 0.0;
        for (int64_t i = 0; i < count; ++i) {
            const float *values = row(i);
            double sum = 0.0, squares = 0.0;
            int64_t n = 0;
            for (const Span &span : {own, partner})
                for (int64_t j = 0; span.offset >= 0 && j < span.count; ++j, ++n)
                    sum += values[span.offset + j];
            const double mean = sum / double(n);
            for (const Span &span : {own, partner})
                for (int64_t j = 0; span.offset >= 0 && j < span.count; ++j)
                    squares += (values[span.offset + j] - mean) * (values[span.offset + j] - mean);
            meanSum += mean;
            varianceSum += n > 1 ? squares / double(n - 1) : 0.0; // torch.std: unbiased
        }
        LayerStatistics stats{tensor.key, count ? meanSum / double(count) : 0.0,
                              count ? std::sqrt(varianceSum / double(count)) : 1.0};
        if (!(stats.std > 0.0)) // a constant layer: keep its values as they are, only shifted
            stats.std = 1.0;
        result.layers.push_back(stats);
    }
    return result;
}

void LayerStandardization::apply(const Architecture &architecture, float *row) const
{
    for (const LayerStatistics &stats : layers)
        forEachTarget(architecture, stats, row, [&](float x) { return float((x - stats.mean) / stats.std); });
}

void LayerStandardization::invert(const Architecture &architecture, float *row) const
{
    for (const LayerStatistics &stats : layers)
        forEachTarget(architecture, stats, row, [&](float x) { return float(x * stats.std + stats.mean); });
}

std::string LayerStandardization::toOfficialJson() const
{
    nlohmann::ordered_json j;
    for (const LayerStatistics &stats : layers)
        j[stats.key] = {{"mean", stats.mean}, {"std", stats.std}};
    j["mode"] = "standardize";
    return j.dump(1);
}

LayerStandardization LayerStandardization::fromOfficialJson(const std::string &text, const std::string &label)
{
    LayerStandardization result;
    try {
        const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
        if (!j.is_object())
            throw FormatError(label, "normalisation file is not a JSON object");
        if (j.value("mode", std::string("standardize")) != "standardize")
            throw FormatError(label, "normalisation mode '" + j["mode"].get<std::string>() +
                                         "' is not supported (only \"standardize\", used by every shipped SANE)");
        for (const auto &[key, value] : j.items()) {
            if (key == "mode")
                continue;
            if (!value.is_object() || !value.contains("mean") || !value.contains("std"))
                throw FormatError(label, "entry '" + key + "' needs \"mean\" and \"std\"");
            result.layers.push_back({key, value["mean"].get<double>(), value["std"].get<double>()});
        }
    } catch (const nlohmann::json::exception &error) {
        throw FormatError(label, std::string("normalisation file: ") + error.what());
    }
    return result;
}

void LayerStandardization::checkFits(const Architecture &architecture, const std::string &label) const
{
    for (const LayerStatistics &stats : layers)
        if (spanOf(architecture, stats.key).offset < 0)
            throw UsageError(label + ": normalisation key '" + stats.key + "' is not in architecture " + architecture.name);
}

} // namespace wse
