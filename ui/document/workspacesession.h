#pragma once
// The workspace file behind an explorer window: saving the open zoo's embeddings, every finished
// layout and the current view into it (atomically), and a recovery copy every few minutes while
// there are unsaved changes — beside the workspace, or, before the first Save, in the user's data
// folder under a name made from the zoo's path, offered when that zoo is opened again.
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

class QWidget;

namespace wse {

class GenerationController;
class ExplorerDocument;
class LayoutController;
class ZooDocument;

class WorkspaceSession : public QObject
{
    Q_OBJECT

public:
    // `viewState` gives the current view as JSON (map, layout, colouring, filter, selection).
    WorkspaceSession(LayoutController *layouts, std::function<QString()> viewState, QObject *parent = nullptr);
    void setGeneration(const GenerationController *generation) { mGeneration = generation; }
    // Named selections and bookmarks are written from the explorer's document (else as the
    // workspace had them).
    void setSavedViews(const ExplorerDocument *explorer) { mExplorer = explorer; }

    void setDocument(std::shared_ptr<const ZooDocument> document); // takes its workspace path
    QString path() const { return mPath; }

    // Writes the workspace and removes the recovery copy. Throws wse::Error naming the file.
    void save(const QString &path);
    // The recovery copy beside `workspace` when it is newer than the workspace; else empty.
    static QString newerRecoveryCopy(const QString &workspace);
    // The autosaved copy of a session on the zoo `zooPath` that was never saved; else empty.
    static QString unsavedSessionCopy(const QString &zooPath);
    // Before opening `path`: offers its newer recovery copy, or the unsaved session on that zoo.
    // Returns the file to open: `path`, or the copy the user chose to restore.
    static QString offerRecoveryCopy(QWidget *parent, const QString &path);
    // Whether there is anything to autosave (the window's unsaved changes).
    void setHasChanges(std::function<bool()> hasChanges) { mHasChanges = std::move(hasChanges); }
    // Removes this session's recovery copy (the user discarded the changes, or they were saved).
    void discardRecovery();

    static constexpr int AutosaveMilliseconds = 2 * 60 * 1000;

    // Writes the recovery copy now when there are unsaved changes (the timer calls it every few minutes).
    void autosave();

private:

    LayoutController *mLayouts;
    const GenerationController *mGeneration = nullptr;
    const ExplorerDocument *mExplorer = nullptr;
    QString recoveryBase() const; // the workspace, or the unsaved session's file in the data folder

    std::function<QString()> mViewState;
    std::function<bool()> mHasChanges = [] { return true; };
    std::shared_ptr<const ZooDocument> mDocument;
    QString mPath;
    QTimer mTimer;
};

} // namespace wse
