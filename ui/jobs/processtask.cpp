#include "jobs/processtask.h"

#include "jobs/progress.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace wse {

namespace {
constexpr int TailLines = 12;
}

ProcessTask::ProcessTask(QString program, QStringList arguments, QObject *parent)
    : QObject(parent), mProgram(std::move(program)), mArguments(std::move(arguments))
{
    mArguments << "--progress" << "json";
    connect(&mProcess, &QProcess::readyReadStandardError, this, &ProcessTask::readEvents);
    connect(&mProcess, &QProcess::readyReadStandardOutput, this,
            [this] { mOutput += QString::fromUtf8(mProcess.readAllStandardOutput()); });
    connect(&mProcess, &QProcess::finished, this, &ProcessTask::ended);
    connect(&mProcess, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT failed(tr("could not run %1: %2").arg(mProgram, mProcess.errorString()));
    });
}

ProcessTask::~ProcessTask()
{
    if (!isRunning())
        return;
    disconnect(&mProcess, nullptr, this, nullptr);
    mProcess.terminate(); // a clean stop keeps what is finished
    if (!mProcess.waitForFinished(10000)) {
        mProcess.kill();
        mProcess.waitForFinished(5000);
    }
}

void ProcessTask::start()
{
    mPending.clear();
    mTail.clear();
    mOutput.clear();
    mError.clear();
    mLastEvent.clear();
    mMessages.clear();
    mResultPaths.clear();
    mProcess.start(mProgram, mArguments);
}

void ProcessTask::cancel()
{
    if (isRunning())
        mProcess.terminate();
}

void ProcessTask::readEvents()
{
    mPending += mProcess.readAllStandardError();
    for (int end = mPending.indexOf('\n'); end >= 0; end = mPending.indexOf('\n')) {
        const QByteArray line = mPending.left(end).trimmed();
        mPending.remove(0, end + 1);
        if (!line.isEmpty())
            handleEvent(line);
    }
}

void ProcessTask::handleEvent(const QByteArray &line)
{
    const QJsonObject event = QJsonDocument::fromJson(line).object();
    const QString kind = event["event"].toString();
    if (kind.isEmpty()) { // not an event: a library's own output, or a dying process's last words
        keepInTail(QString::fromUtf8(line));
        return;
    }
    mLastEvent = kind;
    if (kind == "progress") {
        QString stage = event["stage"].toString();
        if (!event["detail"].toString().isEmpty())
            stage += ": " + event["detail"].toString();
        if (event["eta_s"].isDouble())
            stage += " · ETA " + QString::fromStdString(formatDuration(event["eta_s"].toDouble()));
        Q_EMIT progressed(int(std::lround(event["fraction"].toDouble() * 100.0)), stage);
    } else if (kind == "message") {
        mMessages << event["message"].toString();
        keepInTail(event["message"].toString());
    } else if (kind == "result") {
        for (const QJsonValue &path : event["paths"].toArray())
            mResultPaths << path.toString();
    } else if (kind == "error") {
        mError = event["message"].toString();
    }
}

void ProcessTask::keepInTail(const QString &line)
{
    mTail << line;
    while (mTail.size() > TailLines)
        mTail.removeFirst();
}

void ProcessTask::ended(int exitCode, QProcess::ExitStatus status)
{
    readEvents();
    if (!mPending.trimmed().isEmpty())
        handleEvent(mPending.trimmed());
    mPending.clear();
    if (status == QProcess::NormalExit && exitCode == 0 && mLastEvent == "result")
        Q_EMIT finished();
    else if (mLastEvent == "cancelled") // also through a launcher (torchrun) that exits its own way
        Q_EMIT cancelled();
    else if (status == QProcess::NormalExit && !mError.isEmpty())
        Q_EMIT failed(mError);
    else {
        const QString how = status == QProcess::CrashExit ? tr("wse crashed (killed by a signal: out of memory or a fault)")
                                                          : tr("wse exited with status %1").arg(exitCode);
        Q_EMIT failed(how + (mTail.isEmpty() ? QString() : ":\n" + mTail.join('\n')));
    }
}

} // namespace wse
