#pragma once
// Where a generated network comes from (the check arXiv 2506.07998 applies to weight generators):
// its nearest training checkpoint in weight space after weight matching (a neuron-permuted copy
// is a copy), and in SANE's latent space; each distance over the zoo's own typical
// nearest-neighbour distance between different models; and functional agreement, the share of
// test inputs on which it predicts what that nearest checkpoint predicts. The same figures for
// two baselines made from its anchor: the anchor plus Gaussian noise of the same size of change,
// and the weight-matched average of the anchor and a second checkpoint.
#include "zoo/architecture.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wse {

class NeuronPermuter;
class ProgressReporter;

// The training checkpoints generated networks are compared with.
struct ProvenanceZoo
{
    Architecture architecture;
    std::vector<float> rows;         // count x parameters
    std::vector<float> embeddings;   // count x embeddingSize: SANE model embeddings; empty: no latent figures
    int64_t embeddingSize = 0;
    std::vector<std::string> names;  // MODEL:EPOCH
    std::vector<std::string> models; // model ids: epochs of one model are not each other's neighbours

    int64_t count() const { return int64_t(names.size()); }
    int64_t parameters() const { return architecture.numel(); }
    const float *row(int64_t i) const { return rows.data() + i * parameters(); }
};

// Predicted classes of `count` networks on the agreement inputs (count x inputs, row-major). `like`
// names, per network, the zoo checkpoint whose recipe (activation) it runs with.
using PredictNetworks =
    std::function<std::vector<int32_t>(const std::vector<float> &rows, const std::vector<int64_t> &like)>;
// SANE model embeddings of `count` networks (count x embeddingSize).
using EmbedNetworks = std::function<std::vector<float>(const std::vector<float> &rows, int64_t count)>;

struct ProvenanceFigures
{
    int64_t weightNearest = -1;  // zoo index
    double weightDistance = NAN; // L2 after weight matching to that checkpoint
    double weightRatio = NAN;    // over the zoo's typical nearest-neighbour distance in weight space
    int64_t latentNearest = -1;
    double latentDistance = NAN, latentRatio = NAN;
    double agreement = NAN;      // share of inputs on which it predicts what weightNearest predicts

    // Closer to a training checkpoint than the zoo's models come to each other, and agreeing with
    // it on nearly every input (CopyAgreement).
    static constexpr double CopyAgreement = 0.95;
    bool nearCopy() const { return weightRatio < 1.0 && agreement >= CopyAgreement; }
};

struct NetworkProvenance
{
    ProvenanceFigures network, noise, average;
    int64_t anchor = -1, partner = -1; // zoo indices the baselines were made from (-1: no baselines)
    double change = NAN;               // the network's weight-matched distance from its anchor
};

// The zoo's typical nearest-neighbour distances (medians over checkpoints, neighbours of other models).
struct ProvenanceScale
{
    double weight = NAN, latent = NAN;
    int64_t weightSamples = 0, latentSamples = 0;
};

class ProvenanceAnalysis
{
public:
    // Neighbours are looked for among this many candidates per network (by permutation-invariant
    // signature, raw distance and latent distance, plus its anchor) and weight-matched to each.
    static constexpr int64_t Candidates = 24;
    static constexpr int64_t ScaleSamples = 48; // zoo checkpoints the weight-space scale is measured on

    ProvenanceAnalysis(ProvenanceZoo zoo, PredictNetworks predict, EmbedNetworks embed, uint64_t seed);
    ~ProvenanceAnalysis();

    const ProvenanceZoo &zoo() const { return mZoo; }
    const ProvenanceScale &scale() const { return mScale; }
    int64_t agreementInputs() const { return mAgreementInputs; } // known after analyse()

    // Figures for generated networks (count x parameters) made from `anchors` (zoo index each, -1
    // for none), baselines paired with a checkpoint from `partners` of another model than the anchor
    // (the anchor's nearest of another model when none is).
    std::vector<NetworkProvenance> analyse(const std::vector<float> &rows, const std::vector<int64_t> &anchors,
                                           const std::vector<int64_t> &partners, ProgressReporter *progress);

private:
    struct Nearest
    {
        int64_t index = -1;
        double distance = NAN;
    };
    Nearest nearestInWeights(const float *row, const std::string &excludeModel, int64_t hint,
                             const float *embedding) const;
    Nearest nearestInLatent(const float *embedding, const std::string &excludeModel) const;
    double alignedDistance(const float *row, int64_t checkpoint, std::vector<float> *aligned = nullptr) const;
    void measureScale();
    std::vector<float> averageWith(int64_t anchor, int64_t partner) const;
    std::vector<float> noiseAround(int64_t anchor, double size, uint64_t stream) const;
    int64_t partnerOf(int64_t anchor, const std::vector<int64_t> &partners, uint64_t stream) const;

    ProvenanceZoo mZoo;
    PredictNetworks mPredict;
    EmbedNetworks mEmbed;
    uint64_t mSeed;
    std::unique_ptr<NeuronPermuter> mPermuter;
    std::vector<float> mSignatures; // count x signature size
    int64_t mSignatureSize = 0;
    ProvenanceScale mScale;
    int64_t mAgreementInputs = 0;
};

// The median of the finite values (NaN when there are none).
double finiteMedian(std::vector<double> values);

// The figures as a table: one line per shown network (`names`), then the medians of the networks
// and of each baseline, and how to read them.
std::string provenanceTable(const ProvenanceAnalysis &analysis, const std::vector<NetworkProvenance> &figures,
                            const std::vector<std::string> &names, const std::vector<size_t> &shown);

// Model columns of one network's figures for its zoo file (nearest_checkpoint, nearest_ratio, ...).
struct ProvenanceColumn
{
    std::string name;
    std::string text;      // set for text columns
    double number = NAN;   // otherwise
};
std::vector<ProvenanceColumn> provenanceColumns(const ProvenanceZoo &zoo, const NetworkProvenance &figures);

} // namespace wse
