#pragma once
// Provenance (sane/provenance.h) of networks generated from a zoo with a SANE encoder, as
// `wse sample` and `wse decode` compute it: the zoo's checkpoints of the encoder's architecture
// (at most MaxReference, and at most MaxReferenceValues weights in all, evenly spread, plus the
// anchors) embedded with the same encoder, and predictions on the first AgreementInputs test
// images of the networks' dataset.
#include "sane/generation.h"
#include "sane/provenance.h"
#include "zoo/table.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wse {

class SaneEmbedder;

class SourceProvenance
{
public:
    static constexpr int64_t MaxReference = 20000;
    static constexpr int64_t MaxReferenceValues = int64_t(1) << 28; // 1 GB of weights (ResNet-18: 24 checkpoints)
    static constexpr int64_t AgreementInputs = 2000;

    // `anchors`: zoo checkpoints that must be in the reference set (the generated networks' sources).
    SourceProvenance(const GenerationSource &source, SaneEmbedder &embedder, const ZooDatasetSetup &setup,
                     const std::string &device, int64_t seed, const std::vector<int64_t> &anchors, ProgressReporter *progress);
    ~SourceProvenance();

    // Figures for generated networks (rows), each made from a zoo checkpoint (`anchors`), with
    // baselines paired among `partners` (zoo checkpoints).
    std::vector<NetworkProvenance> analyse(const std::vector<float> &rows, const std::vector<int64_t> &anchors,
                                           const std::vector<int64_t> &partners, ProgressReporter *progress);
    std::string table(const std::vector<NetworkProvenance> &figures, const std::vector<std::string> &names,
                      const std::vector<size_t> &shown) const;
    // The figures as model columns of the generated networks' zoo file.
    void addColumns(std::vector<std::pair<std::string, Table::Value>> &columns, const NetworkProvenance &figures) const;

private:
    int64_t indexOf(int64_t checkpoint) const; // in the reference set; -1 when not there

    std::vector<int64_t> mReference; // zoo checkpoints, ascending
    std::unique_ptr<ProvenanceAnalysis> mAnalysis;
};

} // namespace wse
