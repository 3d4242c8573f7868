#include "document/zooopener.h"

#include "document/backgroundtask.h"
#include "document/explorerdocument.h"
#include "document/unsavedchanges.h"
#include "document/workspacesession.h"
#include "document/zoodocument.h"
#include "errordialog.h"
#include "filemenu.h"
#include "formats/fileformat.h"
#include "panels/statusline.h"
#include "preferences/filedialogs.h"

#include "common/log.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QtConcurrent/QtConcurrentRun>

namespace wse {

namespace {

// Result of a background load: the document or the error message.
struct LoadResult
{
    std::shared_ptr<ZooDocument> document;
    QString error;
    QString missingZoo; // a workspace whose zoo moved: where it was
};

LoadResult loadInBackground(const QString &path, const QString &sane, const QString &zooOverride, bool deferWeightMaps)
{
    try {
        return {ZooDocument::load(path, sane, zooOverride, deferWeightMaps), {}, {}};
    } catch (const MissingZoo &missing) {
        return {nullptr, QString::fromStdString(missing.what()), missing.expected};
    } catch (const std::exception &error) {
        return {nullptr, QString::fromStdString(error.what()), {}};
    }
}

} // namespace

ZooOpener::ZooOpener(QWidget *window, ExplorerDocument &document, UnsavedChanges &unsaved, StatusLine &status)
    : QObject(window), mWindow(window), mDocument(document), mUnsaved(unsaved), mStatus(status)
{}

ZooOpener::~ZooOpener() = default;

void ZooOpener::open(const QString &path, const QString &sane, const QString &zooOverride)
{
    if (mDocument.zoo() && !mUnsaved.mayDiscard(tr("opening %1").arg(QFileInfo(path).fileName())))
        return;
    mUnsaved.markSaved(); // saved or discarded: the old session's changes are no longer asked about
    const QString file = mInteractive ? WorkspaceSession::offerRecoveryCopy(mWindow, path) : path;
    const bool restored = file != path;
    mStatus.showOpening(path);
    auto *watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher, path, sane, restored] {
        const LoadResult result = watcher->result();
        watcher->deleteLater();
        if (!result.document && !result.missingZoo.isEmpty() && mInteractive) {
            // The workspace's zoo moved: ask for it (its content hash is checked).
            QMessageBox::information(mWindow, tr("Locate the Zoo"),
                                     tr("The zoo of this workspace is no longer at\n%1\nPlease locate it.").arg(result.missingZoo));
            const QString zoo = chooseFileToOpen(mWindow, tr("Locate %1").arg(QFileInfo(result.missingZoo).fileName()), {FileKind::Zoo});
            if (!zoo.isEmpty()) {
                open(path, sane, zoo);
                return;
            }
        }
        if (!result.document) {
            mStatus.showOpenFailed(path);
            if (mInteractive)
                showError(mWindow, tr("Opening %1").arg(QFileInfo(path).fileName()), result.error);
            Q_EMIT failed(result.error);
            return;
        }
        mWeightMaps.reset(); // of the zoo open until now
        mDocument.open(result.document);
        if (result.document->weightMapsPending())
            computeWeightMaps(result.document);
        if (restored)
            mUnsaved.markModified(); // what was restored is in no file the user chose
        else
            mUnsaved.markSaved();
        rememberRecentFile(path);
        Q_EMIT opened();
    });
    watcher->setFuture(QtConcurrent::run(loadInBackground, file, sane, zooOverride, mDeferLargeWeightMaps));
}

void ZooOpener::computeWeightMaps(const std::shared_ptr<ZooDocument> &zoo)
{
    auto maps = std::make_shared<std::map<MapSource, WeightMap>>();
    mWeightMaps = std::make_unique<BackgroundTask>(
        [zoo, maps](ProgressReporter &progress) { *maps = zoo->computePendingWeightMaps(progress); });
    connect(mWeightMaps.get(), &BackgroundTask::progressed, this, &ZooOpener::weightMapsProgressed);
    connect(mWeightMaps.get(), &BackgroundTask::finished, this,
            [this, zoo, maps] { mDocument.addWeightMaps(zoo.get(), std::move(*maps)); });
    connect(mWeightMaps.get(), &BackgroundTask::failed, this, [zoo](const QString &message) {
        logWarning(zoo->path().toStdString() + ": its weight maps could not be computed: " + message.toStdString());
    });
    mWeightMaps->start();
}

} // namespace wse
