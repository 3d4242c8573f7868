#include "document/childprojectionjob.h"

#include "document/childprocesscheck.h"
#include "jobs/processtask.h"
#include "preferences/setting.h"
#include "sane/embeddings.h"
#include "workspace/workspace.h"
#include "zoo/zoo.h"

#include <QTemporaryDir>

#include <nlohmann/json.hpp>

namespace wse {

namespace {
const Setting<int> separateProcessPoints{QStringLiteral("layouts/childProcessPoints"), 20000};
const char *const LayoutName = "layout";
} // namespace

int childLayoutPoints() { return separateProcessPoints.get(); }
void setChildLayoutPoints(int points) { separateProcessPoints.set(points); }

ChildProjectionJob::ChildProjectionJob(const Zoo &zoo, const QString &zooPath, const WeightMap &map,
                                       ProjectionSettings settings, QObject *parent)
    : LayoutJob(parent), mSettings(std::move(settings)), mCheckpoints(map.checkpoints)
{
    try {
        mArguments = writeInput(zoo, zooPath, map);
    } catch (const std::exception &error) {
        mInputError = tr("cannot write the map for the layout process: %1").arg(QString::fromUtf8(error.what()));
    }
}

ChildProjectionJob::~ChildProjectionJob() = default; // the task (a child) stops its process

// The map's features as embeddings (weight statistics, SANE embeddings), or the zoo's own raw
// weights (the child reads them itself: no copy of a large matrix); and the workspace the child
// adds its map to, made here so that the zoo is not hashed for it.
QStringList ChildProjectionJob::writeInput(const Zoo &zoo, const QString &zooPath, const WeightMap &map)
{
    mScratch = std::make_unique<QTemporaryDir>();
    if (!mScratch->isValid())
        throw std::runtime_error(mScratch->errorString().toStdString());
    QStringList input;
    if (map.features.empty()) {
        input = {"--zoo", zooPath, "--architecture", QString::fromStdString(zoo.architectures.at(size_t(map.architecture)).name)};
    } else {
        Embeddings features;
        features.source = zooPath.toStdString();
        features.encoderId = mapSourceName(map.source);
        features.mode = "full";
        features.dims = map.featureDims;
        for (int64_t c : map.checkpoints)
            features.rows.appendRow({{"checkpoint", c}, {zoocol::ModelId, zoo.checkpointValue(c, zoocol::ModelId)},
                                     {zoocol::Epoch, zoo.checkpoints.get(zoocol::Epoch).number(c)}, {"split", ""}});
        features.values = map.features;
        const QString path = mScratch->filePath("map-input.h5");
        features.write(path.toStdString());
        input = {"--embeddings", path};
    }
    Workspace result;
    result.zoo.path = zooPath.toStdString();
    result.write(mScratch->filePath("layout.h5").toStdString());
    QStringList arguments{"project"};
    arguments << input;
    const nlohmann::json settings = nlohmann::json::parse(mSettings.toJson());
    for (const auto &[key, value] : settings.items())
        arguments << "--set" << QString::fromStdString(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
    arguments << "--name" << LayoutName << "-o" << mScratch->filePath("layout.h5");
    return arguments;
}

void ChildProjectionJob::start()
{
    if (!mInputError.isEmpty())
        return Q_EMIT failed(mInputError);
    delete mTask;
    mTask = new ProcessTask(wseExecutable(), mArguments, this);
    connect(mTask, &ProcessTask::progressed, this, &LayoutJob::progressed);
    connect(mTask, &ProcessTask::failed, this, &LayoutJob::failed);
    connect(mTask, &ProcessTask::cancelled, this, &LayoutJob::cancelled);
    connect(mTask, &ProcessTask::finished, this, &ChildProjectionJob::readResult);
    mTask->start();
}

void ChildProjectionJob::readResult()
{
    try {
        const Workspace result = Workspace::read(mScratch->filePath("layout.h5").toStdString());
        const WorkspaceMap *map = result.map(LayoutName);
        if (!map || map->checkpoints != mCheckpoints)
            return Q_EMIT failed(tr("the layout process returned other points than the map's"));
        Q_EMIT finished(map->projection);
    } catch (const std::exception &error) {
        Q_EMIT failed(tr("cannot read the layout process's result: %1").arg(QString::fromUtf8(error.what())));
    }
}

void ChildProjectionJob::cancel()
{
    if (mTask)
        mTask->cancel();
}

bool ChildProjectionJob::isRunning() const
{
    return mTask && mTask->isRunning();
}

} // namespace wse
