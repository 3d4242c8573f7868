#pragma once
// Per-layer standardisation of a zoo (sane-spec §2.3), as the official DatasetTokens does it:
// for each weight / running-statistics tensor K (with its bias K' as an extra column), one mean
// and one standard deviation over the zoo; K and K' are mapped to (x - mean) / std. Keys whose
// "bias" partner is the key itself (running_mean, running_var) are normalised twice, as in the
// official code, so that statistics files and sampled models stay interchangeable with it.
#include "zoo/architecture.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wse {

struct LayerStatistics
{
    std::string key;   // the weight (or running-statistics) key
    double mean = 0.0;
    double std = 1.0;
};

class LayerStandardization
{
public:
    std::vector<LayerStatistics> layers;

    // Statistics over `count` flattened checkpoints of one architecture; row(i) returns the i-th.
    // Keys skipped: batch norm unless includeBatchNorm (the official ignore_bn rule).
    static LayerStandardization compute(const Architecture &architecture, int64_t count,
                                        const std::function<const float *(int64_t)> &row, bool includeBatchNorm);

    void apply(const Architecture &architecture, float *row) const;  // in place
    void invert(const Architecture &architecture, float *row) const; // in place

    // The official dataset_normalization_<split>.json: {key: {"mean", "std"}, ..., "mode": "standardize"}.
    std::string toOfficialJson() const;
    // Throws FormatError naming `label` for other modes or malformed entries.
    static LayerStandardization fromOfficialJson(const std::string &text, const std::string &label);
    // Throws UsageError naming the first key of the statistics the architecture lacks.
    void checkFits(const Architecture &architecture, const std::string &label) const;
};

} // namespace wse
