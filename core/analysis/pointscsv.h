#pragma once
// A map's points as CSV, one line per point: the checkpoint's columns (model, epoch,
// hyper-parameters, metrics), its position in the shown layout and, where asked, the map's input
// features (e.g. the SANE embedding z0..z<d-1>) — what a user takes to pandas or R.
#include "analysis/weightmap.h"
#include "zoo/zoo.h"

#include <string>
#include <vector>

namespace wse {

// `layout`: 3 floats per map point, named `<layoutName>_x/_y/_z`; `points`: the map points to
// write (all when empty), in that order.
std::string pointsCsv(const Zoo &zoo, const WeightMap &map, const std::vector<float> &layout, const std::string &layoutName,
                      const std::vector<int> &points, bool withFeatures);

} // namespace wse
