#include "zoo/sparsified.h"

#include "common/error.h"
#include "common/text.h"
#include "zoo/architecture.h"

#include <algorithm>
#include <cmath>

namespace wse {

namespace {

// Zeroes `values` where the official log_alpha of (value, logSigma2) reaches the threshold.
int64_t mask(std::vector<float> &values, const std::vector<float> &logSigma2)
{
    constexpr double Threshold = 3.0;
    int64_t zeros = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        const double logAlpha = std::clamp(double(logSigma2[i]) - 2.0 * std::log(std::fabs(double(values[i])) + 1e-15), -10.0, 10.0);
        if (logAlpha >= Threshold)
            values[i] = 0.0f;
        zeros += values[i] == 0.0f;
    }
    return zeros;
}

} // namespace

double applyVariationalDropoutMasks(StateDict &state, const std::string &label)
{
    int64_t zeros = 0, masked = 0;
    bool any = false;
    for (const auto &[key, tensor] : state.entries) {
        const bool ofBias = endsWith(key, ".log_sigma2_bias");
        if (!ofBias && !endsWith(key, ".log_sigma2"))
            continue;
        any = true;
        const std::string prefix = key.substr(0, key.rfind('.'));
        const std::string target = prefix + (ofBias ? ".bias" : ".weight");
        auto it = std::find_if(state.entries.begin(), state.entries.end(), [&](const auto &e) { return e.first == target; });
        if (it == state.entries.end() || it->second.shape != tensor.shape)
            throw FormatError(label, "'" + key + "' has no '" + target + "' of shape " + TensorSpec{key, tensor.shape}.shapeText() +
                                         " beside it (a sparsified checkpoint stores both)");
        if (ofBias) { // only a convolution masks its bias (the official LinearARD computes with it as is)
            const std::string weight = prefix + ".weight";
            auto w = std::find_if(state.entries.begin(), state.entries.end(), [&](const auto &e) { return e.first == weight; });
            if (w == state.entries.end() || w->second.shape.size() != 4)
                continue;
        }
        std::vector<float> values = it->second.toFloat();
        const int64_t layerZeros = mask(values, tensor.toFloat());
        if (!ofBias) {
            zeros += layerZeros;
            masked += int64_t(values.size());
        }
        it->second = TensorBuffer::fromFloat(it->second.shape, values.data());
    }
    if (!any)
        return -1.0;
    state.entries.erase(std::remove_if(state.entries.begin(), state.entries.end(),
                                       [](const auto &e) { return endsWith(e.first, ".log_sigma2") || endsWith(e.first, ".log_sigma2_bias"); }),
                        state.entries.end());
    return masked > 0 ? double(zeros) / double(masked) : 0.0;
}

} // namespace wse
