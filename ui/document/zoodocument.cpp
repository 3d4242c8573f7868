#include "document/zoodocument.h"

#include "document/childprocesscheck.h"
#include "workspace/checkpointlabels.h"

#include "common/error.h"
#include "common/log.h"
#include "formats/fileformat.h"
#include "sane/embeddingmap.h"
#include "jobs/childembedding.h"
#include "zoo/zoostore.h"

#include <QFileInfo>

#include <unistd.h>

#include <algorithm>

namespace wse {

MissingZoo::MissingZoo(const QString &workspaceFile, const QString &expectedZoo)
    : std::runtime_error(QStringLiteral("%1: its zoo %2 is missing (moved or deleted); locate it to open the workspace")
                             .arg(workspaceFile, expectedZoo)
                             .toStdString())
    , workspace(workspaceFile)
    , expected(expectedZoo)
{}

namespace {

// --sane names embeddings made earlier, or an encoder to embed the zoo with now (in a wse process).
Embeddings readOrMakeEmbeddings(const QString &sane, const QString &zooPath)
{
    if (detectFileKind(sane.toStdString()) == FileKind::Embeddings) {
        tryFileInChildProcess(sane, FileKind::Embeddings);
        return Embeddings::read(sane.toStdString());
    }
    return embedZooInChild(sane, zooPath, EmbedOptions::defaults(), nullptr);
}

double weightBytes(const Zoo &zoo)
{
    double bytes = 0;
    for (const WeightMatrix &matrix : zoo.weights)
        bytes += double(matrix.rows) * double(matrix.cols) * sizeof(float);
    return bytes;
}

} // namespace

double ZooDocument::weightsInMemoryLimit()
{
    bool given = false;
    const double megabytes = qEnvironmentVariableIntValue("WSE_ZOO_MEMORY_MB", &given);
    if (given)
        return megabytes * 1048576.0;
    // The in-memory PCA holds about five copies of the weights (float64, centred): a tenth of the
    // RAM, and 2 GB at most, keeps opening a zoo well inside it.
    const double physical = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGESIZE));
    return std::min(2.0 * 1073741824.0, physical / 10.0);
}

std::shared_ptr<ZooDocument> ZooDocument::load(const QString &path, const QString &sane, const QString &zooOverride,
                                               bool deferLargeWeightMaps)
{
    auto document = std::make_shared<ZooDocument>();
    document->mSanePath = sane;
    if (!sane.isEmpty()) {
        const FileKind saneKind = detectFileKind(sane.toStdString());
        document->mSaneIsEncoder = saneKind == FileKind::Encoder || saneKind == FileKind::Checkpoint;
    }
    QString zooPath = path;
    if (requireFileKind(path.toStdString(), {FileKind::Zoo, FileKind::Workspace}) == FileKind::Workspace) {
        tryFileInChildProcess(path, FileKind::Workspace);
        Workspace workspace = Workspace::read(path.toStdString());
        zooPath = zooOverride.isEmpty() ? QString::fromStdString(workspace.zoo.path) : zooOverride;
        if (zooOverride.isEmpty() && !QFileInfo::exists(zooPath)) {
            // Moved with the workspace, or beside it: found by its content (`wse workspace relink`).
            const std::string found = workspace.zoo.locate({QFileInfo(path).absolutePath().toStdString()});
            if (found.empty())
                throw MissingZoo(path, zooPath);
            logInfo(path.toStdString() + ": its zoo moved; found it by its content at " + found);
            zooPath = QString::fromStdString(found);
        }
        if (!QFileInfo::exists(zooPath))
            throw MissingZoo(path, zooPath);
        if (!zooOverride.isEmpty() && fileContentHash(zooOverride.toStdString()) != workspace.zoo.contentHash)
            throw FormatError(zooOverride.toStdString(), "is not the zoo the workspace " + path.toStdString() +
                                                             " was made from (its content hash differs)");
        document->mWorkspacePath = path;
        if (sane.isEmpty() && !workspace.embeddings.empty())
            document->mEmbeddings = workspace.embeddings.front();
        document->mWorkspace = std::move(workspace);
    }
    document->mPath = zooPath;
    tryFileInChildProcess(zooPath, FileKind::Zoo);
    document->mZoo = ZooStore::read(zooPath.toStdString(), /*withWeights=*/false);
    const bool inMemory = weightBytes(document->mZoo) <= weightsInMemoryLimit();
    if (inMemory)
        for (size_t a = 0; a < document->mZoo.architectures.size(); ++a)
            document->mZoo.weights[a] = ZooStore::readWeights(zooPath.toStdString(), document->mZoo.architectures[a].name);
    if (document->mWorkspace)
        document->mWorkspace->requireFits(document->mZoo, path.toStdString());
    document->mLabelColumn = addLabelColumn(document->mZoo, document->mWorkspace ? document->mWorkspace->labels : std::vector<WorkspaceLabel>{},
                                            path.toStdString());
    if (!sane.isEmpty())
        document->mEmbeddings = readOrMakeEmbeddings(sane, zooPath);
    if (document->mEmbeddings)
        document->mMaps[MapSource::SaneEmbeddings] = computeEmbeddingMap(document->mZoo, *document->mEmbeddings);
    if (inMemory) {
        for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics})
            document->mMaps[source] = computeWeightMap(document->mZoo, source);
    } else if (deferLargeWeightMaps && document->mEmbeddings) {
        for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics})
            document->mMaps[source] = WeightMap{}; // placeholders: the keys stay fixed from here on
        document->mWeightMapsPending.store(true, std::memory_order_release);
    } else {
        for (auto &[source, map] : computeWeightMapsFromFile(document->mZoo, zooPath.toStdString()))
            document->mMaps[source] = std::move(map);
    }
    return document;
}

std::map<MapSource, WeightMap> ZooDocument::computePendingWeightMaps(ProgressReporter &progress) const
{
    return computeWeightMapsFromFile(mZoo, mPath.toStdString(), 0, 3, &progress);
}

void ZooDocument::putWeightMaps(std::map<MapSource, WeightMap> maps)
{
    for (auto &[source, map] : maps)
        mMaps.at(source) = std::move(map);
    mWeightMapsPending.store(false, std::memory_order_release);
}

bool ZooDocument::hasMap(MapSource source) const
{
    if (source != MapSource::SaneEmbeddings && weightMapsPending())
        return false;
    return mMaps.count(source) > 0;
}

std::vector<std::string> ZooDocument::labelsOf(const std::vector<int64_t> &checkpoints) const
{
    const Column &column = mZoo.checkpoints.get(mLabelColumn);
    std::vector<std::string> texts;
    for (int64_t checkpoint : checkpoints)
        texts.push_back(column.text(checkpoint));
    return texts;
}

void ZooDocument::setLabels(const std::vector<int64_t> &checkpoints, const std::vector<std::string> &texts)
{
    std::vector<std::string> labels = mZoo.checkpoints.get(mLabelColumn).texts();
    for (size_t i = 0; i < checkpoints.size(); ++i)
        labels.at(size_t(checkpoints[i])) = texts.at(i);
    mZoo.checkpoints.replaceColumn(Column::texts(mLabelColumn, std::move(labels)));
}

QString ZooDocument::encoderPath() const
{
    if (mSaneIsEncoder)
        return mSanePath;
    if (mEmbeddings && QFileInfo::exists(QString::fromStdString(mEmbeddings->encoderPath)))
        return QString::fromStdString(mEmbeddings->encoderPath);
    return {};
}

const WeightMap &ZooDocument::map(MapSource source) const
{
    if (hasMap(source))
        return mMaps.at(source);
    return mMaps.at(hasMap(MapSource::Weights) ? MapSource::Weights : MapSource::SaneEmbeddings);
}

QStringList ZooDocument::colourableColumns() const
{
    QStringList names;
    for (const std::string &name : mZoo.checkpointColumnNames())
        if (!Zoo::isBookkeepingColumn(name))
            names << QString::fromStdString(name);
    return names;
}

std::string ZooDocument::inputKey(MapSource source) const
{
    if (source == MapSource::SaneEmbeddings)
        return "sane:" + (mEmbeddings ? mEmbeddings->encoderId : std::string());
    return mapSourceName(source) + ":" + mZoo.architectures.at(size_t(map(source).architecture)).name;
}

std::vector<Projection> ZooDocument::savedLayouts(MapSource source) const
{
    std::vector<Projection> layouts;
    if (!mWorkspace || !hasMap(source))
        return layouts;
    for (const WorkspaceMap &saved : mWorkspace->maps)
        if (saved.input == inputKey(source) && saved.checkpoints == map(source).checkpoints && saved.projection.settings.dims == 3)
            layouts.push_back(saved.projection);
    return layouts;
}

Workspace ZooDocument::toWorkspace() const
{
    Workspace workspace = mWorkspace ? *mWorkspace : Workspace::forZoo(mPath.toStdString());
    workspace.zoo = mWorkspace && mPath.toStdString() != workspace.zoo.path ? Workspace::forZoo(mPath.toStdString()).zoo
                                                                            : workspace.zoo;
    if (mEmbeddings)
        workspace.putEmbeddings(*mEmbeddings);
    workspace.labels = labelsIn(mZoo, mLabelColumn);
    return workspace;
}

} // namespace wse
