#include "document/workspacesession.h"

#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "map/layoutcontroller.h"

#include "common/error.h"
#include "common/log.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cstring>

namespace wse {

namespace {

const char *const RecoverySuffix = ".recovery";

Workspace buildWorkspace(const ZooDocument &document, const LayoutController &layouts, const GenerationController *generation,
                         const QString &viewState)
{
    Workspace workspace = document.toWorkspace();
    if (generation) // the current sets replace the ones the workspace was opened with
        workspace.generated = generation->toWorkspace();
    for (const auto &[source, projection] : layouts.finishedLayouts()) {
        WorkspaceMap map;
        map.name = methodName(projection.settings.method) + " of " + mapSourceName(source);
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
    if (mPath.isEmpty())
        mTimer.stop();
    else
        mTimer.start();
}

void WorkspaceSession::save(const QString &path)
{
    if (!mDocument)
        throw UsageError("no zoo is open");
    Workspace workspace = buildWorkspace(*mDocument, *mLayouts, mGeneration, mViewState());
    workspace.write(path.toStdString());
    QFile::remove(path + RecoverySuffix);
    mPath = path;
    mTimer.start();
}

void WorkspaceSession::autosave()
{
    if (!mDocument || mPath.isEmpty())
        return;
    try {
        buildWorkspace(*mDocument, *mLayouts, mGeneration, mViewState()).writeRecoveryCopy(mPath.toStdString());
    } catch (const std::exception &error) {
        logWarning(std::string("autosave failed: ") + error.what());
    }
}

QString WorkspaceSession::newerRecoveryCopy(const QString &workspace)
{
    const QFileInfo recovery(workspace + RecoverySuffix);
    return recovery.exists() && recovery.lastModified() > QFileInfo(workspace).lastModified() ? recovery.filePath() : QString();
}

} // namespace wse
