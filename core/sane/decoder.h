#pragma once
// Decoding zoo checkpoints through a SANE encoder: the reconstruction of one checkpoint (how
// much of a network survives the round trip), networks along the straight line between two
// checkpoints' per-token latents, or the weighted mean of several checkpoints' latents (a spot of
// a map between them) — each evaluated on the zoo's data and written as a zoo file.
#include "sane/saneembedder.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace wse {

class ProgressReporter;

struct DecodeOptions
{
    std::string encoderPath;
    std::string zooPath;
    std::string from;  // MODEL:EPOCH
    std::string to;    // MODEL:EPOCH for a path; empty for the reconstruction of `from`
    int steps = 5;     // points on the path, endpoints included
    // Instead of from/to: MODEL:EPOCH and weight of each checkpoint whose per-token latents are
    // averaged (weights need not sum to 1) into one network.
    std::vector<std::pair<std::string, double>> blend;
    std::string output; // zoo file (.h5)
    int64_t bnConditionIterations = 200; // BatchNorm re-estimation passes for networks with BN (official example: 200)
    bool provenance = true; // nearest zoo checkpoints and baselines of every decoded network (sane/provenance.h)
    EmbedOptions embed;

    static DecodeOptions defaults() { return {}; }
};

struct DecodedPoint
{
    double t = 0;                 // 0 at `from`, 1 at `to`
    double decodedTestAccuracy = 0;
    double originalTestAccuracy = 0; // of the zoo checkpoint at an endpoint; NaN between
};

struct DecodeReport
{
    std::vector<DecodedPoint> points;
    // Reconstruction only: R^2 of the decoded standardised weights per layer (and over all).
    std::vector<double> layerR2;
    double r2 = NAN;
    std::string provenance; // the provenance table (empty when not computed)
    std::string toText() const;
};

// Throws UsageError for unknown checkpoints or endpoints with different datasets/activations.
DecodeReport decodeCheckpoints(const DecodeOptions &options, ProgressReporter *progress);

} // namespace wse
