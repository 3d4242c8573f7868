#include "sane/generatedprovenance.h"

#include "jobs/progress.h"
#include "sane/saneembedder.h"
#include "training/populationtrainer.h"

#include <algorithm>
#include <set>

namespace wse {

namespace {

// The zoo's checkpoints of the encoder's architecture, at most `limit` of them evenly spread, and
// every one of `anchors`.
std::vector<int64_t> referenceCheckpoints(const GenerationSource &source, const std::vector<int64_t> &anchors, int64_t limit)
{
    std::vector<int64_t> all;
    for (int64_t c = 0; c < source.zoo.checkpointCount(); ++c)
        if (source.zoo.checkpointArchitecture(c) == source.architecture)
            all.push_back(c);
    std::set<int64_t> chosen(anchors.begin(), anchors.end());
    const int64_t n = int64_t(all.size()), take = std::min(n, limit);
    for (int64_t k = 0; k < take; ++k)
        chosen.insert(all[size_t(k * n / take)]);
    return {chosen.begin(), chosen.end()};
}

// Predictions of networks on the first `inputs` test images, each with the recipe (activation)
// of the zoo checkpoint `like` names; in populations of at most 128 networks.
PredictNetworks predictor(const GenerationSource &source, const ZooDatasetSetup &setup, const std::string &device,
                          const std::vector<int64_t> &reference, int64_t inputs)
{
    return [&source, &setup, device, reference, inputs](const std::vector<float> &rows, const std::vector<int64_t> &like) {
        const int64_t count = int64_t(like.size()), rowSize = source.arch().numel(), population = 128;
        std::vector<int32_t> out;
        for (int64_t first = 0; first < count; first += population) {
            const int64_t last = std::min(count, first + population);
            std::vector<ModelConfig> configs;
            for (int64_t i = first; i < last; ++i) {
                configs.push_back(source.configOf(reference[size_t(like[size_t(i)])], "network-" + std::to_string(i), i));
                configs.back().batchSize = configs.front().batchSize;
            }
            PopulationTrainer networks(setup.network, configs, setup.data, device);
            networks.setFlatWeights({rows.begin() + first * rowSize, rows.begin() + last * rowSize});
            const std::vector<int32_t> predicted = networks.testPredictions(inputs);
            out.insert(out.end(), predicted.begin(), predicted.end());
        }
        return out;
    };
}

} // namespace

SourceProvenance::SourceProvenance(const GenerationSource &source, SaneEmbedder &embedder, const ZooDatasetSetup &setup,
                                   const std::string &device, int64_t seed, const std::vector<int64_t> &anchors,
                                   ProgressReporter *progress)
    : mReference(referenceCheckpoints(source, anchors,
                                      std::min(MaxReference, std::max<int64_t>(1, MaxReferenceValues / source.arch().numel()))))
{
    reportTo(progress, 0.0, "provenance", "reading and embedding " + std::to_string(mReference.size()) + " zoo checkpoints");
    ProvenanceZoo zoo;
    zoo.architecture = source.arch();
    zoo.rows = source.rows(mReference);
    const Column &models = source.zoo.checkpoints.get(zoocol::Model);
    for (int64_t c : mReference) {
        zoo.names.push_back(source.zoo.checkpointName(c));
        zoo.models.push_back(std::to_string(int64_t(models.number(c))));
    }
    zoo.embeddingSize = embedder.latentSize();
    zoo.embeddings = embedder.embed(zoo.rows.data(), zoo.count());
    reportTo(progress, 0.1, "provenance", "the zoo's nearest-neighbour distances");
    mAnalysis = std::make_unique<ProvenanceAnalysis>(
        std::move(zoo), predictor(source, setup, device, mReference, AgreementInputs),
        [&embedder](const std::vector<float> &rows, int64_t count) { return embedder.embed(rows.data(), count); },
        uint64_t(seed));
}

SourceProvenance::~SourceProvenance() = default;

int64_t SourceProvenance::indexOf(int64_t checkpoint) const
{
    const auto it = std::lower_bound(mReference.begin(), mReference.end(), checkpoint);
    return it != mReference.end() && *it == checkpoint ? int64_t(it - mReference.begin()) : -1;
}

std::vector<NetworkProvenance> SourceProvenance::analyse(const std::vector<float> &rows, const std::vector<int64_t> &anchors,
                                                         const std::vector<int64_t> &partners, ProgressReporter *progress)
{
    std::vector<int64_t> anchorIndices, partnerIndices;
    for (int64_t c : anchors)
        anchorIndices.push_back(c < 0 ? -1 : indexOf(c));
    for (int64_t c : partners)
        partnerIndices.push_back(indexOf(c));
    return mAnalysis->analyse(rows, anchorIndices, partnerIndices, progress);
}

std::string SourceProvenance::table(const std::vector<NetworkProvenance> &figures, const std::vector<std::string> &names,
                                    const std::vector<size_t> &shown) const
{
    return provenanceTable(*mAnalysis, figures, names, shown);
}

void SourceProvenance::addColumns(std::vector<std::pair<std::string, Table::Value>> &columns, const NetworkProvenance &figures) const
{
    for (const ProvenanceColumn &column : provenanceColumns(mAnalysis->zoo(), figures))
        columns.emplace_back(column.name, column.text.empty() ? Table::Value(column.number) : Table::Value(column.text));
}

} // namespace wse
