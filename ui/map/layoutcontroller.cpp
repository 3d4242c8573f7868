#include "map/layoutcontroller.h"

#include "document/childprojectionjob.h"
#include "document/projectionjob.h"
#include "document/zoodocument.h"
#include "map/mapview.h"

#include "jobs/progress.h"

#include <QMessageBox>

namespace wse {

namespace {

QString describeQuality(const MapQuality &q)
{
    if (q.queries == 0)
        return QObject::tr("Map quality needs more than %1 points").arg(3 * 10 / 2 + 1);
    QString text = QObject::tr("Trustworthiness %1 · continuity %2 (k = %3)")
                       .arg(q.trustworthiness, 0, 'f', 3)
                       .arg(q.continuity, 0, 'f', 3)
                       .arg(q.k);
    if (q.sampled())
        text += QObject::tr(", %1 sampled points").arg(q.queries);
    return text;
}

} // namespace

bool confirmLayoutCost(QWidget *parent, const ProjectionSettings &settings, int64_t points)
{
    const double seconds = estimatedSeconds(settings, points);
    const char *names[] = {"PCA", "t-SNE", "UMAP"};
    if (const std::string tooLong = tsneTooLong(settings, points); !tooLong.empty())
        return QMessageBox::question(parent, QObject::tr("Long Layout"),
                                     QObject::tr("%1. It runs in the background and can be cancelled from the status "
                                                 "bar. Compute the t-SNE anyway?")
                                         .arg(QString::fromStdString(tooLong))) == QMessageBox::Yes;
    return seconds <= 60 ||
           QMessageBox::question(parent, QObject::tr("Long Layout"),
                                 QObject::tr("%1 of %2 points takes about %3 on this machine. It runs in the background and "
                                             "can be cancelled from the status bar. Compute it?")
                                     .arg(names[int(settings.method)])
                                     .arg(points)
                                     .arg(QString::fromStdString(formatDuration(seconds)))) == QMessageBox::Yes;
}

LayoutController::LayoutController(MapView *view, QObject *parent) : QObject(parent), mView(view) {}

LayoutController::~LayoutController() = default;

void LayoutController::setDocument(std::shared_ptr<const ZooDocument> document)
{
    cancel();
    mJob.reset();
    mRunning = false;
    mDone.clear();
    mDocument = std::move(document);
}

void LayoutController::preload(MapSource source, const Projection &projection)
{
    mDone[{int(source), projection.settings.toJson()}] = projection;
    // The parameters the workspace was left with (the last of a method's layouts) are current.
    mSettings[int(projection.settings.method)] = projection.settings;
}

const Projection *LayoutController::layout(MapSource source, ProjectionMethod method) const
{
    const auto it = mDone.find({int(source), settings(method).toJson()});
    return it == mDone.end() ? nullptr : &it->second;
}

std::vector<std::pair<MapSource, Projection>> LayoutController::finishedLayouts() const
{
    std::vector<std::pair<MapSource, Projection>> layouts;
    for (const auto &[key, projection] : mDone)
        layouts.emplace_back(MapSource(key.first), projection);
    return layouts;
}

std::vector<Projection> LayoutController::finishedLayouts(MapSource source) const
{
    std::vector<Projection> layouts;
    for (const auto &[key, projection] : mDone)
        if (key.first == int(source))
            layouts.push_back(projection);
    return layouts;
}

ProjectionSettings LayoutController::settings(ProjectionMethod method) const
{
    const auto it = mSettings.find(int(method));
    ProjectionSettings settings = it == mSettings.end() ? ProjectionSettings() : it->second;
    settings.method = method;
    settings.dims = 3; // the view is 3D; its 2D mode looks at the first two axes
    return settings;
}

void LayoutController::setSettings(const ProjectionSettings &settings)
{
    mSettings[int(settings.method)] = settings;
    if (mDocument && mMethod == settings.method)
        show(mSource, mMethod);
}

bool LayoutController::isRunning() const
{
    return mRunning;
}

void LayoutController::setRunning(bool running)
{
    mRunning = running;
    Q_EMIT runningChanged(running);
}

void LayoutController::cancel()
{
    if (mJob)
        mJob->cancel();
}

void LayoutController::setQualityText(const QString &text)
{
    mQualityText = text;
    Q_EMIT qualityChanged(text);
}

void LayoutController::show(MapSource source, ProjectionMethod method)
{
    mSource = source;
    mMethod = method;
    if (!mDocument)
        return;
    if (const Projection *done = layout(source, method)) {
        if (mJob) { // a layout of something else is no longer wanted
            mJob->cancel();
            mJob.reset();
            if (mRunning)
                setRunning(false);
        }
        if (method != ProjectionMethod::Pca)
            mView->movePoints(done->coordinates, true);
        setQualityText(describeQuality(done->quality));
        Q_EMIT layoutReady();
        return;
    }
    startJob();
}

void LayoutController::startJob()
{
    if (mJob) {
        mJob->cancel();
        mJob.reset(); // waits for the worker to stop; its signals are gone with it
        mRunning = false;
    }
    const WeightMap &map = mDocument->map(mSource);
    const ProjectionSettings settings = this->settings(mMethod);
    const bool inMemory = map.inputInMemory(mDocument->zoo());
    if (!inMemory && mMethod == ProjectionMethod::Pca) { // its coordinates came with the map
        setQualityText(tr("Trustworthiness not measured: the zoo's weights stay in its file (too large for memory)"));
        Q_EMIT layoutReady();
        return;
    }
    if (mMethod != ProjectionMethod::Pca && (int64_t(map.checkpoints.size()) > childLayoutPoints() || !inMemory)) {
        mJob = std::make_unique<ChildProjectionJob>(mDocument->zoo(), mDocument->path(), map, settings);
    } else {
        int64_t dims = 0;
        std::vector<float> rows = map.inputRows(mDocument->zoo(), dims);
        mJob = std::make_unique<ProjectionJob>(std::move(rows), dims, settings);
    }
    const Key key{int(mSource), settings.toJson()};
    connect(mJob.get(), &LayoutJob::layoutChanged, this, [this](const std::vector<float> &xyz, int, int) {
        mView->movePoints(xyz, true);
    });
    connect(mJob.get(), &LayoutJob::progressed, this, &LayoutController::progressed);
    connect(mJob.get(), &LayoutJob::finished, this, [this, key](const Projection &projection) {
        mDone[key] = projection;
        if (projection.settings.method != ProjectionMethod::Pca)
            mView->movePoints(projection.coordinates, true);
        setQualityText(describeQuality(projection.quality));
        setRunning(false);
        Q_EMIT layoutReady();
    });
    connect(mJob.get(), &LayoutJob::failed, this, [this](const QString &message) {
        setQualityText(tr("Layout failed: %1").arg(message));
        setRunning(false);
    });
    connect(mJob.get(), &LayoutJob::cancelled, this, [this] {
        setQualityText(tr("Layout cancelled"));
        setRunning(false);
    });
    setQualityText(mMethod == ProjectionMethod::Pca ? tr("Measuring map quality ...") : tr("Computing layout ..."));
    setRunning(true);
    mJob->start();
}

} // namespace wse
