#include "analysis/weightmap.h"

#include "common/error.h"

namespace wse {

WeightMap computeWeightMap(const Zoo &zoo, int architecture, int dimensions)
{
    if (architecture < 0 || size_t(architecture) >= zoo.architectures.size())
        throw UsageError("the zoo has no architecture #" + std::to_string(architecture));
    const WeightMatrix &matrix = zoo.weights[size_t(architecture)];
    if (int64_t(matrix.values.size()) != matrix.rows * matrix.cols)
        throw UsageError("the zoo's weights are not loaded");

    WeightMap map;
    map.architecture = architecture;
    const Column &rows = zoo.checkpoints.get(zoocol::WeightRow);
    std::vector<float> selected;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
        if (zoo.checkpointArchitecture(c) != architecture)
            continue;
        map.checkpoints.push_back(c);
        const float *row = matrix.row(int64_t(rows.number(c)));
        selected.insert(selected.end(), row, row + matrix.cols);
    }
    if (map.checkpoints.empty())
        throw UsageError("architecture '" + zoo.architectures[size_t(architecture)].name + "' has no checkpoints");
    map.pca = computePca(selected.data(), int64_t(map.checkpoints.size()), matrix.cols, dimensions);
    return map;
}

} // namespace wse
