#include "document/workspacesession.h"

#include "common/text.h"
#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "map/layoutcontroller.h"
#include "document/explorerdocument.h"

#include "common/error.h"
#include "common/log.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QStandardPaths>

#include <algorithm>
#include <cstring>

namespace wse {

namespace {

const char *const RecoverySuffix = ".recovery";

// Where a session that has no workspace yet is autosaved: <data folder>/unsaved/<hash of the zoo's path>.h5
QString unsavedSessionBase(const QString &zooPath)
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/unsaved";
    const QByteArray key = QCryptographicHash::hash(QFileInfo(zooPath).absoluteFilePath().toUtf8(),
                                                    QCryptographicHash::Sha1).toHex().left(16);
    return folder + "/" + QString::fromLatin1(key) + ".h5";
}

struct SessionParts
{
    const GenerationController *generation = nullptr;
    const ExplorerDocument *explorer = nullptr;
};

Workspace buildWorkspace(const ZooDocument &document, const LayoutController &layouts, const SessionParts &parts,
                         const QString &viewState)
{
    Workspace workspace = document.toWorkspace();
    // The explorer's current sets replace the ones the workspace was opened with.
    if (parts.generation)
        workspace.generated = parts.generation->toWorkspace();
    if (parts.explorer) {
        workspace.selections = parts.explorer->savedSelections();
        workspace.bookmarks = parts.explorer->bookmarks();
    }
    for (const auto &[source, projection] : layouts.finishedLayouts()) {
        WorkspaceMap map;
        // One per source and parameters: "umap of weights, UMAP 3D, n_neighbors 15, ...".
        map.name = methodName(projection.settings.method) + " of " + mapSourceName(source) + ", " + projection.settings.describe();
        map.input = document.inputKey(source);
        map.checkpoints = document.map(source).checkpoints;
        map.projection = projection;
        map.created = currentTimeIso();
        workspace.putMap(map);
    }
    WorkspaceBookmark last{"last view", viewState.toStdString()};
    auto existing = std::find_if(workspace.bookmarks.begin(), workspace.bookmarks.end(),
                                 [](const WorkspaceBookmark &b) { return b.name == "last view"; });
    if (existing != workspace.bookmarks.end())
        *existing = last;
    else
        workspace.bookmarks.push_back(last);
    return workspace;
}

} // namespace

WorkspaceSession::WorkspaceSession(LayoutController *layouts, std::function<QString()> viewState, QObject *parent)
    : QObject(parent), mLayouts(layouts), mViewState(std::move(viewState))
{
    mTimer.setInterval(AutosaveMilliseconds);
    connect(&mTimer, &QTimer::timeout, this, &WorkspaceSession::autosave);
}

void WorkspaceSession::setDocument(std::shared_ptr<const ZooDocument> document)
{
    mDocument = std::move(document);
    mPath = mDocument ? mDocument->workspacePath() : QString();
    if (mPath.endsWith(RecoverySuffix)) // a restored recovery copy saves to its workspace
        mPath.chop(int(std::strlen(RecoverySuffix)));
    if (mDocument && mPath == unsavedSessionBase(mDocument->path()))
        mPath.clear(); // a restored unsaved session: Save asks where it goes
    if (mDocument)
        mTimer.start();
    else
        mTimer.stop();
}

void WorkspaceSession::save(const QString &path)
{
    if (!mDocument)
        throw UsageError("no zoo is open");
    Workspace workspace = buildWorkspace(*mDocument, *mLayouts, {mGeneration, mExplorer}, mViewState());
    workspace.write(path.toStdString());
    discardRecovery();
    QFile::remove(path + RecoverySuffix);
    mPath = path;
    mTimer.start();
}

QString WorkspaceSession::recoveryBase() const
{
    return mPath.isEmpty() ? unsavedSessionBase(mDocument->path()) : mPath;
}

void WorkspaceSession::discardRecovery()
{
    if (mDocument)
        QFile::remove(recoveryBase() + RecoverySuffix);
}

void WorkspaceSession::autosave()
{
    if (!mDocument || !mHasChanges())
        return;
    try {
        const QString base = recoveryBase();
        QDir().mkpath(QFileInfo(base).absolutePath());
        buildWorkspace(*mDocument, *mLayouts, {mGeneration, mExplorer}, mViewState()).writeRecoveryCopy(base.toStdString());
    } catch (const std::exception &error) {
        logWarning(std::string("autosave failed: ") + error.what());
    }
}

QString WorkspaceSession::unsavedSessionCopy(const QString &zooPath)
{
    const QFileInfo copy(unsavedSessionBase(zooPath) + RecoverySuffix);
    return copy.exists() ? copy.filePath() : QString();
}

QString WorkspaceSession::offerRecoveryCopy(QWidget *parent, const QString &path)
{
    const QString recovery = newerRecoveryCopy(path);
    if (!recovery.isEmpty() &&
        QMessageBox::question(parent, tr("Restore Workspace"),
                              tr("An autosaved copy of this workspace is newer than the file (the explorer may have "
                                 "stopped before saving). Open the autosaved copy?")) == QMessageBox::Yes)
        return recovery;
    const QString unsaved = unsavedSessionCopy(path);
    if (!unsaved.isEmpty() &&
        QMessageBox::question(parent, tr("Restore Unsaved Session"),
                              tr("The explorer stopped on %1 with unsaved work on this zoo. Restore it?")
                                  .arg(QFileInfo(unsaved).lastModified().toString(Qt::TextDate))) == QMessageBox::Yes)
        return unsaved;
    return path;
}

QString WorkspaceSession::newerRecoveryCopy(const QString &workspace)
{
    const QFileInfo recovery(workspace + RecoverySuffix);
    return recovery.exists() && recovery.lastModified() > QFileInfo(workspace).lastModified() ? recovery.filePath() : QString();
}

} // namespace wse
