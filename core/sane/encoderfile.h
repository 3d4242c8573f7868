#pragma once
// A SANE encoder as the explorer and the CLI use it: the network weights (official state_dict
// names), its configuration, the per-layer normalisation of the zoo it was trained on and that
// zoo's architecture (the reference for tokens and positions). One .pt file: torch.load(f)["model"]
// loads into the official PyTorch module; the other entries are JSON text.
#include "checkpoint/statedict.h"
#include "sane/normalization.h"
#include "sane/saneconfig.h"
#include "zoo/architecture.h"

#include <string>

namespace wse {

struct SaneEncoder
{
    SaneConfig config;
    LayerStandardization normalization;
    Architecture architecture; // empty tensors list when unknown (an import without --reference)
    StateDict weights;
    std::vector<float> reference;  // the checkpoint the training zoo was aligned to (empty: no alignment)
    std::string provenance = "{}"; // JSON: where it came from (import source, training run, split)

    // A content hash of weights and configuration: embeddings made with it carry it.
    std::string id() const;

    void write(const std::string &path) const; // atomic
    // Throws FormatError naming the file when it is not an encoder of ours (a bare state_dict:
    // use `wse sane import`).
    static SaneEncoder read(const std::string &path);
};

// The architecture (keys and shapes, in order) of a checkpoint file's state_dict.
Architecture architectureOf(const StateDict &stateDict, const std::string &name);

} // namespace wse
