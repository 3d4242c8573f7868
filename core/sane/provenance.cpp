#include "sane/provenance.h"

#include "common/error.h"
#include "jobs/progress.h"
#include "sane/permutation.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <set>

namespace wse {

namespace {

double squaredDistance(const float *a, const float *b, int64_t n)
{
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double d = double(a[i]) - double(b[i]);
        sum += d * d;
    }
    return sum;
}

// The `k` indices of smallest `distance` (ascending), among those `allowed` says yes to.
std::vector<int64_t> smallest(const std::vector<double> &distance, int64_t k, const std::function<bool(int64_t)> &allowed)
{
    std::vector<int64_t> order;
    for (int64_t i = 0; i < int64_t(distance.size()); ++i)
        if (allowed(i))
            order.push_back(i);
    const auto middle = order.begin() + std::min<int64_t>(k, int64_t(order.size()));
    std::partial_sort(order.begin(), middle, order.end(), [&](int64_t a, int64_t b) { return distance[size_t(a)] < distance[size_t(b)]; });
    order.erase(middle, order.end());
    return order;
}

// A distance over the zoo's spacing; a zoo of duplicates has spacing 0, where a copy is 0 and
// anything else infinitely far.
double ratio(double distance, double spacing)
{
    if (spacing > 0 || !std::isfinite(distance))
        return distance / spacing;
    return distance == 0 ? 0.0 : std::numeric_limits<double>::infinity();
}

// `count` indices spread evenly over [0, n).
std::vector<int64_t> evenlySpaced(int64_t n, int64_t count)
{
    std::vector<int64_t> out;
    for (int64_t k = 0; k < std::min(n, count); ++k)
        out.push_back(k * n / std::min(n, count));
    return out;
}

} // namespace

double finiteMedian(std::vector<double> values)
{
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

ProvenanceAnalysis::ProvenanceAnalysis(ProvenanceZoo zoo, PredictNetworks predict, EmbedNetworks embed, uint64_t seed)
    : mZoo(std::move(zoo)), mPredict(std::move(predict)), mEmbed(std::move(embed)), mSeed(seed)
{
    if (mZoo.count() == 0)
        throw UsageError("provenance: the zoo has no checkpoint to compare generated networks with");
    if (int64_t(mZoo.rows.size()) != mZoo.count() * mZoo.parameters() || int64_t(mZoo.models.size()) != mZoo.count())
        throw UsageError("provenance: the zoo's weights, names and models do not match in number");
    try {
        mPermuter = std::make_unique<NeuronPermuter>(mZoo.architecture);
    } catch (const UsageError &) {
        mPermuter.reset(); // not a chain of layers (ResNet): distances without weight matching
    }
    if (mPermuter) {
        for (int64_t i = 0; i < mZoo.count(); ++i) {
            const std::vector<float> signature = mPermuter->signature(mZoo.row(i));
            mSignatureSize = int64_t(signature.size());
            mSignatures.insert(mSignatures.end(), signature.begin(), signature.end());
        }
    }
    measureScale();
}

ProvenanceAnalysis::~ProvenanceAnalysis() = default;

double ProvenanceAnalysis::alignedDistance(const float *row, int64_t checkpoint, std::vector<float> *aligned) const
{
    const int64_t n = mZoo.parameters();
    std::vector<float> copy(row, row + n);
    if (mPermuter) {
        std::mt19937_64 random(mSeed + uint64_t(checkpoint));
        mPermuter->apply(copy.data(), mPermuter->match(row, mZoo.row(checkpoint), random));
    }
    const double distance = std::sqrt(squaredDistance(copy.data(), mZoo.row(checkpoint), n));
    if (aligned)
        *aligned = std::move(copy);
    return distance;
}

// Candidates by what permutations do not change (signature), by raw distance (unpermuted
// near-copies), by latent distance (SANE is trained to ignore permutations), and the hint
// (the network's anchor); each is weight-matched and the closest wins.
ProvenanceAnalysis::Nearest ProvenanceAnalysis::nearestInWeights(const float *row, const std::string &excludeModel,
                                                                 int64_t hint, const float *embedding) const
{
    const int64_t count = mZoo.count(), n = mZoo.parameters();
    auto allowed = [&](int64_t i) { return excludeModel.empty() || mZoo.models[size_t(i)] != excludeModel; };
    std::set<int64_t> candidates;
    std::vector<double> distance(static_cast<size_t>(count));
    auto addClosest = [&](int64_t k) {
        for (int64_t i : smallest(distance, k, allowed))
            candidates.insert(i);
    };
    for (int64_t i = 0; i < count; ++i)
        distance[size_t(i)] = squaredDistance(row, mZoo.row(i), n);
    addClosest(Candidates / 2);
    if (mPermuter) {
        const std::vector<float> signature = mPermuter->signature(row);
        for (int64_t i = 0; i < count; ++i)
            distance[size_t(i)] = squaredDistance(signature.data(), mSignatures.data() + i * mSignatureSize, mSignatureSize);
        addClosest(Candidates);
    }
    if (embedding && !mZoo.embeddings.empty()) {
        for (int64_t i = 0; i < count; ++i)
            distance[size_t(i)] =
                squaredDistance(embedding, mZoo.embeddings.data() + i * mZoo.embeddingSize, mZoo.embeddingSize);
        addClosest(Candidates / 2);
    }
    if (hint >= 0 && allowed(hint))
        candidates.insert(hint);
    Nearest best;
    for (int64_t c : candidates) {
        const double d = alignedDistance(row, c);
        if (std::isfinite(d) && (best.index < 0 || d < best.distance))
            best = {c, d};
    }
    return best;
}

ProvenanceAnalysis::Nearest ProvenanceAnalysis::nearestInLatent(const float *embedding, const std::string &excludeModel) const
{
    Nearest best;
    if (mZoo.embeddings.empty() || !embedding)
        return best;
    for (int64_t i = 0; i < mZoo.count(); ++i) {
        if (!excludeModel.empty() && mZoo.models[size_t(i)] == excludeModel)
            continue;
        const double d = squaredDistance(embedding, mZoo.embeddings.data() + i * mZoo.embeddingSize, mZoo.embeddingSize);
        if (std::isfinite(d) && (best.index < 0 || d < best.distance))
            best = {i, d};
    }
    if (best.index >= 0)
        best.distance = std::sqrt(best.distance);
    return best;
}

// Neighbouring epochs of one model are each other's nearest neighbours and would measure a step of
// training; the scale is how close *different* networks of the zoo come to each other.
void ProvenanceAnalysis::measureScale()
{
    std::vector<double> weight, latent;
    for (int64_t i : evenlySpaced(mZoo.count(), ScaleSamples)) {
        const float *embedding = mZoo.embeddings.empty() ? nullptr : mZoo.embeddings.data() + i * mZoo.embeddingSize;
        weight.push_back(nearestInWeights(mZoo.row(i), mZoo.models[size_t(i)], -1, embedding).distance);
    }
    if (!mZoo.embeddings.empty())
        for (int64_t i : evenlySpaced(mZoo.count(), 500))
            latent.push_back(nearestInLatent(mZoo.embeddings.data() + i * mZoo.embeddingSize, mZoo.models[size_t(i)]).distance);
    mScale.weight = finiteMedian(weight);
    mScale.latent = finiteMedian(latent);
    mScale.weightSamples = int64_t(weight.size());
    mScale.latentSamples = int64_t(latent.size());
}

std::vector<float> ProvenanceAnalysis::noiseAround(int64_t anchor, double size, uint64_t stream) const
{
    const int64_t n = mZoo.parameters();
    std::mt19937_64 random(mSeed * 7919 + stream);
    std::normal_distribution<double> gaussian;
    std::vector<double> noise(static_cast<size_t>(n));
    double norm = 0;
    for (double &v : noise) {
        v = gaussian(random);
        norm += v * v;
    }
    const double scale = norm > 0 && std::isfinite(size) ? size / std::sqrt(norm) : 0.0;
    std::vector<float> out(mZoo.row(anchor), mZoo.row(anchor) + n);
    for (int64_t i = 0; i < n; ++i)
        out[size_t(i)] += float(noise[size_t(i)] * scale);
    return out;
}

std::vector<float> ProvenanceAnalysis::averageWith(int64_t anchor, int64_t partner) const
{
    const int64_t n = mZoo.parameters();
    std::vector<float> out(mZoo.row(partner), mZoo.row(partner) + n);
    if (mPermuter) {
        std::mt19937_64 random(mSeed + uint64_t(anchor));
        mPermuter->apply(out.data(), mPermuter->match(out.data(), mZoo.row(anchor), random));
    }
    for (int64_t i = 0; i < n; ++i)
        out[size_t(i)] = 0.5f * (out[size_t(i)] + mZoo.row(anchor)[i]);
    return out;
}

int64_t ProvenanceAnalysis::partnerOf(int64_t anchor, const std::vector<int64_t> &partners, uint64_t stream) const
{
    std::vector<int64_t> others;
    for (int64_t p : partners)
        if (p >= 0 && p < mZoo.count() && mZoo.models[size_t(p)] != mZoo.models[size_t(anchor)])
            others.push_back(p);
    if (others.empty())
        return nearestInWeights(mZoo.row(anchor), mZoo.models[size_t(anchor)], -1, nullptr).index;
    std::mt19937_64 random(mSeed * 104729 + stream);
    return others[std::uniform_int_distribution<size_t>(0, others.size() - 1)(random)];
}

std::vector<NetworkProvenance> ProvenanceAnalysis::analyse(const std::vector<float> &rows, const std::vector<int64_t> &anchors,
                                                           const std::vector<int64_t> &partners, ProgressReporter *progress)
{
    const int64_t n = mZoo.parameters(), count = int64_t(rows.size()) / std::max<int64_t>(1, n);
    if (int64_t(anchors.size()) != count)
        throw UsageError("provenance: one anchor (or -1) per generated network is needed");
    std::vector<NetworkProvenance> result(static_cast<size_t>(count));
    // Every network whose figures are wanted: the generated ones, then each one's two baselines.
    std::vector<float> all(rows);
    std::vector<ProvenanceFigures *> figures;
    std::vector<int64_t> like;
    for (int64_t i = 0; i < count; ++i) {
        figures.push_back(&result[size_t(i)].network);
        like.push_back(anchors[size_t(i)]);
    }
    for (int64_t i = 0; i < count; ++i) {
        NetworkProvenance &p = result[size_t(i)];
        p.anchor = anchors[size_t(i)];
        if (p.anchor < 0 || p.anchor >= mZoo.count())
            continue;
        p.change = alignedDistance(rows.data() + i * n, p.anchor);
        p.partner = partnerOf(p.anchor, partners, uint64_t(i));
        const std::vector<float> noise = noiseAround(p.anchor, p.change, uint64_t(i));
        all.insert(all.end(), noise.begin(), noise.end());
        figures.push_back(&p.noise);
        like.push_back(p.anchor);
        if (p.partner >= 0) {
            const std::vector<float> average = averageWith(p.anchor, p.partner);
            all.insert(all.end(), average.begin(), average.end());
            figures.push_back(&p.average);
            like.push_back(p.anchor);
        }
    }
    const int64_t total = int64_t(figures.size());
    std::vector<float> embeddings;
    if (mEmbed && !mZoo.embeddings.empty())
        embeddings = mEmbed(all, total);
    for (int64_t t = 0; t < total; ++t) {
        reportTo(progress, 0.1 + 0.7 * double(t) / double(total), "provenance",
                 "nearest checkpoints of network " + std::to_string(t + 1) + " of " + std::to_string(total));
        const float *embedding = embeddings.empty() ? nullptr : embeddings.data() + t * mZoo.embeddingSize;
        ProvenanceFigures &f = *figures[size_t(t)];
        const Nearest weights = nearestInWeights(all.data() + t * n, "", like[size_t(t)], embedding);
        f.weightNearest = weights.index;
        f.weightDistance = weights.distance;
        f.weightRatio = ratio(weights.distance, mScale.weight);
        const Nearest latent = nearestInLatent(embedding, "");
        f.latentNearest = latent.index;
        f.latentDistance = latent.distance;
        f.latentRatio = ratio(latent.distance, mScale.latent);
        if (like[size_t(t)] < 0)
            like[size_t(t)] = weights.index;
    }
    if (!mPredict)
        return result;
    reportTo(progress, 0.85, "provenance", "predictions of " + std::to_string(total) + " networks and their neighbours");
    const std::vector<int32_t> predicted = mPredict(all, like);
    std::vector<int64_t> nearest; // each checkpoint once, however many networks it is nearest to
    for (ProvenanceFigures *f : figures)
        if (std::find(nearest.begin(), nearest.end(), f->weightNearest) == nearest.end())
            nearest.push_back(f->weightNearest);
    std::vector<float> nearestRows;
    for (int64_t c : nearest)
        nearestRows.insert(nearestRows.end(), mZoo.row(c), mZoo.row(c) + n);
    const std::vector<int32_t> reference = mPredict(nearestRows, nearest);
    const size_t inputs = predicted.size() / size_t(std::max<int64_t>(1, total));
    mAgreementInputs = int64_t(inputs);
    for (int64_t t = 0; t < total && inputs > 0; ++t) {
        const size_t r = size_t(std::find(nearest.begin(), nearest.end(), figures[size_t(t)]->weightNearest) - nearest.begin());
        int64_t same = 0;
        for (size_t k = 0; k < inputs; ++k)
            same += predicted[size_t(t) * inputs + k] == reference[r * inputs + k];
        figures[size_t(t)]->agreement = double(same) / double(inputs);
    }
    return result;
}

} // namespace wse
