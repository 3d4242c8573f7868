#include "sane/embeddingmap.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace wse {

WeightMap computeEmbeddingMap(const Zoo &zoo, const Embeddings &embeddings, int dimensions)
{
    const Column &checkpoints = embeddings.rows.get("checkpoint");
    const Column &modelIds = embeddings.rows.get(zoocol::ModelId);
    std::vector<int64_t> order;
    for (int64_t r = 0; r < embeddings.count(); ++r) {
        const int64_t c = int64_t(checkpoints.number(r));
        if (c < 0 || c >= zoo.checkpointCount() || zoo.checkpointValue(c, zoocol::ModelId) != modelIds.text(r))
            throw UsageError("the embeddings (" + embeddings.source + ") do not belong to this zoo: row " + std::to_string(r) +
                             " names checkpoint " + std::to_string(c) + " of model " + modelIds.text(r));
        const float *z = embeddings.row(r);
        if (std::all_of(z, z + embeddings.dims, [](float v) { return std::isfinite(v); }))
            order.push_back(r);
    }
    if (order.empty())
        throw UsageError("no finite SANE embeddings to map");
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return checkpoints.number(a) < checkpoints.number(b); });
    WeightMap map;
    map.source = MapSource::SaneEmbeddings;
    map.architecture = zoo.checkpointArchitecture(int64_t(checkpoints.number(order.front())));
    std::vector<float> features;
    features.reserve(order.size() * size_t(embeddings.dims));
    for (int64_t r : order) {
        map.checkpoints.push_back(int64_t(checkpoints.number(r)));
        features.insert(features.end(), embeddings.row(r), embeddings.row(r) + embeddings.dims);
    }
    map.pca = computePca(features.data(), int64_t(order.size()), embeddings.dims, dimensions);
    map.features = std::move(features);
    map.featureDims = embeddings.dims;
    return map;
}

} // namespace wse
