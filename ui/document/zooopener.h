#pragma once
// Opening a zoo, workspace or embeddings in an explorer window: asks before unsaved work would be
// lost, offers a newer recovery copy, loads off the GUI thread, asks for a workspace's zoo when it
// moved, and shows a failure naming the file. The loaded zoo goes into the explorer's document.
#include <QObject>
#include <QString>

class QWidget;

namespace wse {

class ExplorerDocument;
class StatusLine;
class UnsavedChanges;

class ZooOpener : public QObject
{
    Q_OBJECT

public:
    ZooOpener(QWidget *window, ExplorerDocument &document, UnsavedChanges &unsaved, StatusLine &status);
    // No dialogs (scripted use): failures are only emitted.
    void setInteractive(bool interactive) { mInteractive = interactive; }
    // `sane`: an encoder (.pt, embeds the zoo) or embeddings (.h5) for the SANE map; `zooOverride`:
    // where a workspace's zoo is now.
    void open(const QString &path, const QString &sane = {}, const QString &zooOverride = {});

Q_SIGNALS:
    void opened();
    void failed(const QString &message);

private:
    QWidget *mWindow;
    ExplorerDocument &mDocument;
    UnsavedChanges &mUnsaved;
    StatusLine &mStatus;
    bool mInteractive = true;
};

} // namespace wse
