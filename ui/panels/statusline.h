#pragma once
// The status bar: what is open and shown ("40 models · 200 checkpoints · 3 selected · map: UMAP of
// weights"), following the document; the progress of background work (layouts, generated
// networks, opening a file) with its Cancel button; and where torch runs.
#include <QObject>
#include <QString>

class QLabel;
class QProgressBar;
class QPushButton;
class QStatusBar;

namespace wse {

struct ChangeEvent;
class ExplorerDocument;

class StatusLine : public QObject
{
    Q_OBJECT

public:
    StatusLine(QStatusBar *bar, ExplorerDocument &document);

    QString summary() const; // a figure's title
    void showSummary();      // after the shown layout changed
    void showOpening(const QString &file);
    void showOpenFailed(const QString &file);
    // Background work: a progress bar with its stage, and Cancel.
    void showBackgroundWork(bool running);
    void showBackgroundProgress(int percent, const QString &stage);

Q_SIGNALS:
    void cancelRequested();

private:
    void react(const ChangeEvent &event);

    ExplorerDocument &mDocument;
    QLabel *mCounts;
    QProgressBar *mBusy;
    QPushButton *mCancel;
};

} // namespace wse
