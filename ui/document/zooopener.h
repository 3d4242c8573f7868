#pragma once
// Opening a zoo, workspace or embeddings in an explorer window: asks before unsaved work would be
// lost, offers a newer recovery copy, loads off the GUI thread, asks for a workspace's zoo when it
// moved, and shows a failure naming the file. The loaded zoo goes into the explorer's document.
// A zoo too large for memory with a SANE map opens on that map at once; its weight maps follow
// from the zoo file in the background (cancelled when another zoo opens or the window closes).
#include <QObject>
#include <QString>

#include <memory>

class QWidget;

namespace wse {

class BackgroundTask;
class ExplorerDocument;
class ZooDocument;
class StatusLine;
class UnsavedChanges;

class ZooOpener : public QObject
{
    Q_OBJECT

public:
    ZooOpener(QWidget *window, ExplorerDocument &document, UnsavedChanges &unsaved, StatusLine &status);
    ~ZooOpener() override;
    // No dialogs (scripted use): failures are only emitted.
    void setInteractive(bool interactive) { mInteractive = interactive; }
    // False: the weight maps of a large zoo are computed while it opens (a run that shows one).
    void setDeferLargeWeightMaps(bool defer) { mDeferLargeWeightMaps = defer; }
    // `sane`: an encoder (.pt, embeds the zoo) or embeddings (.h5) for the SANE map; `zooOverride`:
    // where a workspace's zoo is now.
    void open(const QString &path, const QString &sane = {}, const QString &zooOverride = {});

Q_SIGNALS:
    void opened();
    void failed(const QString &message);
    void weightMapsProgressed(int percent);

private:
    void computeWeightMaps(const std::shared_ptr<ZooDocument> &zoo);

    QWidget *mWindow;
    ExplorerDocument &mDocument;
    UnsavedChanges &mUnsaved;
    StatusLine &mStatus;
    bool mInteractive = true;
    bool mDeferLargeWeightMaps = true;
    std::unique_ptr<BackgroundTask> mWeightMaps;
};

} // namespace wse
