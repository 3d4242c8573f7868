#pragma once
// A job's files on an SSH host. First it asks the host whether it sees them where this computer
// does: every input with the same size and modification time, and a token written beside the
// output read back there. If so (a cluster's shared home or project folders) the job uses them in
// place. If not — or the runner always copies — the inputs are copied up to a folder of the job's
// own on the host (Runner::stage/<job>/in), the job writes there (<job>/out), and its output is
// copied back into place when it finishes. Copies stream through tar and ssh (never through
// memory) with progress; a copy already there (same size and time) is not sent again, so a resumed
// job goes straight on; the output replaces the local one only when it has arrived whole.
#include "jobs/jobspec.h"

#include <QObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace wse {

class RemoteStaging : public QObject
{
    Q_OBJECT

public:
    RemoteStaging(const JobSpec &spec, QObject *parent = nullptr);
    ~RemoteStaging() override; // stops a copy still running

    void prepare();                                   // -> prepared() or failed()
    const JobSpec &remoteSpec() const { return mRemote; } // the job as the host runs it
    bool copies() const { return mCopies; }
    QString remoteFolder() const { return mFolder; } // <stage>/<job> on the host; empty in place
    void fetch();                                     // -> fetched() (at once in place) or failed()
    void cancel();

Q_SIGNALS:
    void progressed(int percent, const QString &stage);
    void prepared();
    void fetched();
    void failed(const QString &message);

private:
    struct Input
    {
        QString role, local; // "zoo", "encoder", "config", "folder"; the path here
        QString *remote;     // its field in mRemote
        QString there = {};  // its copy's path on the host (once the host is asked)
    };
    std::vector<Input> inputs();
    void asked(const QStringList &answer);
    void uploadNext(std::size_t index);
    void placeOutput();
    QString landingFolder() const; // beside the output: where its copy arrives before it replaces it
    // Runs `producer` (its stdout) into `consumer` (its stdin); `counted` is the one whose bytes
    // read (upload) or written (download) measure progress against `total`.
    void pipe(const QString &what, QStringList producer, QStringList consumer, bool countProducer, qint64 total,
              std::function<void()> done);
    void stopProcesses();
    void fail(const QString &message);

    JobSpec mSpec, mRemote;
    bool mCopies = false;
    QString mFolder, mToken, mMarker;
    std::vector<Input> mInputs;
    std::vector<bool> mStaged; // the host already has that input's copy
    std::unique_ptr<QTemporaryDir> mScratch; // a rewritten configuration
    std::unique_ptr<QProcess> mFirst, mSecond;
    QTimer mPoll;
};

} // namespace wse
