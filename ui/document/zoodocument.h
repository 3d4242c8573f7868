#pragma once
// An open zoo and its maps, as the explorer shows them, and the workspace it came from or goes
// to. Loading runs off the GUI thread.
#include "analysis/weightmap.h"
#include "sane/embeddings.h"
#include "workspace/workspace.h"
#include "zoo/zoo.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

namespace wse {

class ProgressReporter;

// A workspace whose zoo is not where it was: the explorer asks the user for it.
class MissingZoo : public std::runtime_error
{
public:
    MissingZoo(const QString &workspace, const QString &expected);
    QString workspace, expected;
};

class ZooDocument
{
public:
    // Reads a zoo file, or a workspace (its zoo, SANE embeddings and saved maps), and computes
    // the maps (weights and weight statistics). With `sane` (a SANE encoder .pt, which embeds
    // every checkpoint now, or an embeddings .h5 made from this zoo) also the SANE map.
    // `zooOverride`: where a workspace's zoo is now (its content hash must match).
    // Throws MissingZoo, or wse::Error naming the file at fault.
    // A zoo's weights over weightsInMemoryLimit() stay in its file: its weight maps are computed
    // in two passes over the file, and the raw weights' neighbours are not listed. With
    // `deferLargeWeightMaps` and a SANE map to show first, those passes (minutes at 10^6
    // checkpoints) are left for later: weightMapsPending() until putWeightMaps().
    static std::shared_ptr<ZooDocument> load(const QString &path, const QString &sane = {}, const QString &zooOverride = {},
                                             bool deferLargeWeightMaps = false);
    // Bytes of weights read into memory at most: $WSE_ZOO_MEMORY_MB when set, else a tenth of
    // the RAM, 2 GB at most.
    static double weightsInMemoryLimit();

    const QString &path() const { return mPath; }           // the zoo file
    const QString &workspacePath() const { return mWorkspacePath; } // empty when a zoo was opened
    const QString &sanePath() const { return mSanePath; }
    const Zoo &zoo() const { return mZoo; }
    // The SANE encoder (.pt) behind the SANE map, when it still exists: needed to generate networks.
    QString encoderPath() const;
    bool hasMap(MapSource source) const;
    // The map of `source`; when absent (or pending) the weights map, else the SANE map.
    const WeightMap &map(MapSource source) const;

    // Weight maps left for later by load(): computed from the zoo file off the GUI thread (any
    // thread; cancelled through `progress`), then handed over on the GUI thread. Until then
    // hasMap() is false for them and nothing reads them.
    bool weightMapsPending() const { return mWeightMapsPending.load(std::memory_order_acquire); }
    std::map<MapSource, WeightMap> computePendingWeightMaps(ProgressReporter &progress) const;
    void putWeightMaps(std::map<MapSource, WeightMap> maps);

    // Zoo checkpoint index of point `point` of a map.
    int64_t checkpointOf(MapSource source, int point) const { return map(source).checkpoints.at(size_t(point)); }
    // Columns the map can be coloured by (metrics and hyper-parameters, not bookkeeping).
    QStringList colourableColumns() const;

    // The checkpoint column of the user's labels (core/workspace/checkpointlabels.h), and
    // relabelling: checkpoints[i] gets texts[i] (empty: no label). On the GUI thread only.
    const std::string &labelColumn() const { return mLabelColumn; }
    std::vector<std::string> labelsOf(const std::vector<int64_t> &checkpoints) const;
    void setLabels(const std::vector<int64_t> &checkpoints, const std::vector<std::string> &texts);

    // Workspace keys of the maps' inputs: "weights:<arch>", "weight-statistics:<arch>", "sane:<id>".
    std::string inputKey(MapSource source) const;
    // Layouts saved in the workspace this document was opened from, for a source (same points).
    std::vector<Projection> savedLayouts(MapSource source) const;
    const Workspace *openedWorkspace() const { return mWorkspace ? &*mWorkspace : nullptr; }
    // A workspace of this document (zoo reference, SANE embeddings) to which the caller adds maps.
    Workspace toWorkspace() const;

private:
    QString mPath, mSanePath, mWorkspacePath;
    bool mSaneIsEncoder = false; // --sane named an encoder (ours or official), not embeddings
    Zoo mZoo;
    std::map<MapSource, WeightMap> mMaps; // its keys never change after load(): other threads look up
    std::atomic<bool> mWeightMapsPending{false};
    std::optional<Embeddings> mEmbeddings;
    std::optional<Workspace> mWorkspace; // as opened (zoo reference, maps, selections, bookmarks)
    std::string mLabelColumn;
};

} // namespace wse
