#include "document/workspacesession.h"

#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "map/layoutcontroller.h"
#include "selection/bookmarkactions.h"
#include "selection/selectionactions.h"

#include "common/error.h"
#include "common/log.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cstring>

namespace wse {

namespace {

const char *const RecoverySuffix = ".recovery";

struct SessionParts
{
    const GenerationController *generation = nullptr;
    const SelectionActions *selections = nullptr;
    const BookmarkActions *bookmarks = nullptr;
};

Workspace buildWorkspace(const ZooDocument &document, const LayoutController &layouts, const SessionParts &parts,
                         const QString &viewState)
{
    Workspace workspace = document.toWorkspace();
    // The explorer's current sets replace the ones the workspace was opened with.
    if (parts.generation)
        workspace.generated = parts.generation->toWorkspace();
    if (parts.selections)
        workspace.selections = parts.selections->savedSelections();
    if (parts.bookmarks)
        workspace.bookmarks = parts.bookmarks->bookmarks();
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
    if (mPath.isEmpty())
        mTimer.stop();
    else
        mTimer.start();
}

void WorkspaceSession::save(const QString &path)
{
    if (!mDocument)
        throw UsageError("no zoo is open");
    Workspace workspace = buildWorkspace(*mDocument, *mLayouts, {mGeneration, mSelections, mBookmarks}, mViewState());
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
        buildWorkspace(*mDocument, *mLayouts, {mGeneration, mSelections, mBookmarks}, mViewState()).writeRecoveryCopy(mPath.toStdString());
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
