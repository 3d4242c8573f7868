#pragma once
// WeightWatcher's data-free spectral metrics of a network's layers (Martin & Mahoney): the
// eigenvalues of WᵀW of each Linear and Conv2d weight, a power law fitted to their tail, and norms.
// Conv2d weights [out, in, kh, kw] are cut into kh·kw matrices W[:, :, i, j], each scaled by
// sqrt(kh·kw / 2), their eigenvalues pooled into one spectrum. A layer with fewer eigenvalues than
// `minEvals` is not evaluable (a power law fitted to a handful of values is noise): its metrics are
// NaN and it does not count in the model's means.
#include "zoo/architecture.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct PowerLawFit
{
    double alpha = 0;      // p(λ) ∝ λ^-alpha for λ >= xmin; MLE: 1 + n / Σ ln(λ_i / xmin)
    double xmin = 0;       // the candidate (an eigenvalue) with the smallest KS distance
    double ksDistance = 0; // max |empirical CDF - fitted CDF| over the tail, both one-sided steps
    int64_t tail = 0;      // eigenvalues >= xmin
};

// Clauset's method as the powerlaw package does it: every distinct positive eigenvalue but the
// largest is tried as xmin; ties go to the smaller xmin. Needs two distinct positive values.
// Throws UsageError otherwise.
PowerLawFit fitPowerLaw(std::vector<double> eigenvalues);

struct LayerSpectrum
{
    std::string key, shape;
    int64_t eigenvalues = 0;
    bool evaluable = false;
    PowerLawFit fit;                // when evaluable
    double logNorm = 0;             // log10 Σλ (Σλ = ||W||_F², over the scaled slices)
    double logSpectralNorm = 0;     // log10 max λ
    double alphaWeighted = 0;       // alpha · log10 max λ
    double logAlphaNorm = 0;        // log10 Σ λ^alpha
    double stableRank = 0;          // Σλ / max λ
};

struct ModelSpectrum
{
    std::vector<LayerSpectrum> layers; // the Linear and Conv2d weights, in state_dict order
    int evaluable = 0;
    // Means over the evaluable layers (NaN when there is none).
    double alpha = 0, alphaWeighted = 0, logNorm = 0, logSpectralNorm = 0, logAlphaNorm = 0, stableRank = 0;
};

constexpr int DefaultMinEvals = 10; // WeightWatcher's default (constants.py)

// Eigenvalues of a weight tensor as above; empty for tensors that are not Linear (rank 2) or
// Conv2d (rank 4) weights.
std::vector<double> layerEigenvalues(const TensorSpec &tensor, const float *values);
// `row`: one flattened checkpoint of `architecture`.
ModelSpectrum spectralMetrics(const Architecture &architecture, const float *row, int minEvals = DefaultMinEvals);

class Zoo;
class ProgressReporter;
// Every checkpoint of a zoo read with its weights, on every core; progress (and cancellation)
// between blocks of checkpoints.
std::vector<ModelSpectrum> zooSpectralMetrics(const Zoo &zoo, int minEvals = DefaultMinEvals, ProgressReporter *progress = nullptr);
// The model-level metrics as checkpoint columns (replaced when present): ww_alpha,
// ww_alpha_weighted, ww_log_norm, ww_log_spectral_norm, ww_log_alpha_norm, ww_stable_rank.
void storeSpectralColumns(Zoo &zoo, const std::vector<ModelSpectrum> &spectra);

} // namespace wse
