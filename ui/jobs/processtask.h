#pragma once
// Runs one `wse` job command as a child process with `--progress json` (docs/cli.md) and turns its
// events into progress, finished, failed and cancelled — the explorer's side of the protocol. A
// child that crashes, runs out of memory or exits without its last event fails with its exit
// status and the tail of what it wrote; the explorer keeps running. cancel() asks for a clean stop
// (SIGTERM: what is finished is kept, the same command resumes).
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace wse {

class ProcessTask : public QObject
{
    Q_OBJECT

public:
    ProcessTask(QString program, QStringList arguments, QObject *parent = nullptr);
    ~ProcessTask() override; // a running child is asked to stop, then killed if it does not

    void start();
    void cancel();
    bool isRunning() const { return mProcess.state() != QProcess::NotRunning; }
    QString standardOutput() const { return mOutput; }   // what the command printed (a report)
    QStringList messages() const { return mMessages; }   // its "message" events, in order
    QStringList resultPaths() const { return mResultPaths; }

Q_SIGNALS:
    void progressed(int percent, const QString &stage);
    void finished();
    void failed(const QString &message);
    void cancelled();

private:
    void readEvents();
    void handleEvent(const QByteArray &line);
    void keepInTail(const QString &line); // the last lines, for a crash report
    void ended(int exitCode, QProcess::ExitStatus status);

    QString mProgram;
    QStringList mArguments;
    QProcess mProcess;
    QByteArray mPending;      // stderr not yet ending in a newline
    QStringList mTail;        // the last lines of stderr that were not events, for a crash report
    QString mOutput, mError, mLastEvent;
    QStringList mMessages, mResultPaths;
};

} // namespace wse
