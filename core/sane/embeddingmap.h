#pragma once
// The explorer's SANE map: PCA of a zoo's SANE embeddings, in the same point order as its weight
// maps (zoo checkpoint order), so selections carry over when the user switches maps.
#include "analysis/weightmap.h"
#include "sane/embeddings.h"

namespace wse {

// Checkpoints whose embedding is not finite (diverged models) are left off the map. Throws
// UsageError when the embeddings do not belong to this zoo.
WeightMap computeEmbeddingMap(const Zoo &zoo, const Embeddings &embeddings, int dimensions = 3);

} // namespace wse
