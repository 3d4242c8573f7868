#pragma once
// The workspace file behind an explorer window: saving the open zoo's embeddings, every finished
// layout and the current view into it (atomically), and a recovery copy every few minutes.
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace wse {

class BookmarkActions;
class GenerationController;
class SelectionActions;
class LayoutController;
class ZooDocument;

class WorkspaceSession : public QObject
{
    Q_OBJECT

public:
    // `viewState` gives the current view as JSON (map, layout, colouring, filter, selection).
    WorkspaceSession(LayoutController *layouts, std::function<QString()> viewState, QObject *parent = nullptr);
    void setGeneration(const GenerationController *generation) { mGeneration = generation; }
    // Named selections and bookmarks are written from these (else as the workspace had them).
    void setSavedViews(const SelectionActions *selections, const BookmarkActions *bookmarks)
    {
        mSelections = selections;
        mBookmarks = bookmarks;
    }

    void setDocument(std::shared_ptr<const ZooDocument> document); // takes its workspace path
    QString path() const { return mPath; }

    // Writes the workspace and removes the recovery copy. Throws wse::Error naming the file.
    void save(const QString &path);
    // The recovery copy beside `workspace` when it is newer than the workspace; else empty.
    static QString newerRecoveryCopy(const QString &workspace);

    static constexpr int AutosaveMilliseconds = 2 * 60 * 1000;

private:
    void autosave();

    LayoutController *mLayouts;
    const GenerationController *mGeneration = nullptr;
    const SelectionActions *mSelections = nullptr;
    const BookmarkActions *mBookmarks = nullptr;
    std::function<QString()> mViewState;
    std::shared_ptr<const ZooDocument> mDocument;
    QString mPath;
    QTimer mTimer;
};

} // namespace wse
