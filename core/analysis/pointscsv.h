#pragma once
// A map's points as CSV, one line per point: the zoo checkpoint and its name, the checkpoint's
// columns (model, epoch, hyper-parameters, metrics), whether the point was added to the map (placed
// from other embeddings: no checkpoint of the zoo), its position in the layout and, where asked,
// the map's input features (e.g. the SANE embedding z0..z<d-1>) — what a user takes to pandas or R.
// The one writer of map points: the explorer's Export Points and `wse project -o OUT.csv`.
#include "zoo/zoo.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct MapPoints
{
    const Zoo *zoo = nullptr;          // the checkpoints' columns come from it; none when null
    std::vector<int64_t> checkpoints;  // per point: zoo checkpoint, -1 for an added point
    std::vector<std::string> labels;   // per point: "MODEL:EPOCH" (taken from the zoo when empty)
    std::vector<float> layout;         // points x layoutDims
    int layoutDims = 3;
    std::string layoutName;            // columns <name>_x, _y, _z
    std::vector<float> features;       // points x featureDims (empty: no feature columns)
    int64_t featureDims = 0;
};

// `points`: the points to write (all when empty), in that order.
std::string pointsCsv(const MapPoints &map, const std::vector<int> &points = {});

} // namespace wse
