#include "jobs/remotestaging.h"

#include "common/textfile.h"
#include "sane/sampler.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSysInfo>

#include <cstdio>

namespace wse {

namespace {

QString q(const QString &word) { return shellQuoted(word); }

// Bytes of a file, or of every file under a folder.
qint64 sizeOf(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isDir())
        return info.size();
    qint64 total = 0;
    for (QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext();)
        total += QFileInfo(it.next()).size();
    return total;
}

// "SIZE MTIME" as `stat -L -c '%s %Y'` prints it; a folder's size differs between file systems.
bool sameAsHere(const QString &path, const QString &answer)
{
    const QFileInfo info(path);
    const QStringList parts = answer.split(' ');
    if (!info.exists() || parts.size() != 2)
        return false;
    const bool sameTime = parts[1].toLongLong() == info.lastModified().toSecsSinceEpoch();
    return sameTime && (info.isDir() || parts[0].toLongLong() == info.size());
}

// How many bytes a process has read or written so far (Linux); -1 where unknown.
qint64 ioCount(qint64 pid, const char *field)
{
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    if (pid <= 0 || !io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().toLongLong();
    return -1;
}

QString megabytes(qint64 bytes) { return QString::number(double(bytes) / 1e6, 'f', 1); }

// The job's folder on the host: the output's name and a hash of where it lives here, so that
// running (or resuming) the same job finds the same folder.
QString jobFolderName(const QString &output)
{
    const QString where = QSysInfo::machineHostName() + ":" + QFileInfo(output).absoluteFilePath();
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(where.toUtf8(), QCryptographicHash::Sha1).toHex().left(10));
    return QFileInfo(output).fileName().replace(QRegularExpression("[^A-Za-z0-9._-]"), "_") + "-" + hash;
}

} // namespace

RemoteStaging::RemoteStaging(const JobSpec &spec, QObject *parent) : QObject(parent), mSpec(spec), mRemote(spec)
{
    mPoll.setInterval(250);
}

RemoteStaging::~RemoteStaging()
{
    stopProcesses();
    if (!mMarker.isEmpty())
        QFile::remove(mMarker);
}

std::vector<RemoteStaging::Input> RemoteStaging::inputs()
{
    switch (mSpec.kind) {
    case JobSpec::Kind::Zoo: return {{"config", mSpec.config, &mRemote.config}};
    case JobSpec::Kind::Import: return {{"folder", mSpec.config, &mRemote.config}};
    case JobSpec::Kind::Metrics: return {{"zoo", mSpec.zoo, &mRemote.zoo}};
    case JobSpec::Kind::Sane: return {{"zoo", mSpec.zoo, &mRemote.zoo}, {"config", mSpec.config, &mRemote.config}};
    case JobSpec::Kind::Embed: return {{"encoder", mSpec.config, &mRemote.config}, {"zoo", mSpec.zoo, &mRemote.zoo}};
    case JobSpec::Kind::Sample: {
        // Its configuration names the encoder and the zoo: on the host it names their copies.
        const SampleOptions options = SampleOptions::fromJson(readTextFile(mSpec.config.toStdString()), mSpec.config.toStdString(), {});
        return {{"encoder", QString::fromStdString(options.encoderPath), nullptr},
                {"zoo", QString::fromStdString(options.zooPath), nullptr},
                {"config", mSpec.config, &mRemote.config}};
    }
    }
    return {};
}

// One question to the host: its home folder; for each input, its size and time there; the token
// beside the output; for each input, its copy's size and time in the job's folder.
void RemoteStaging::prepare()
{
    try {
        mInputs = inputs();
    } catch (const std::exception &error) {
        return fail(QString::fromUtf8(error.what()));
    }
    mToken = QString::number(QRandomGenerator::global()->generate64(), 16);
    mMarker = QFileInfo(mSpec.output).absolutePath() + "/.wse-seen-" + mToken;
    QFile marker(mMarker);
    if (!marker.open(QIODevice::WriteOnly) || marker.write(mToken.toUtf8()) < 0)
        mMarker.clear(); // cannot tell: copy
    marker.close();
    const QString stat = QStringLiteral("stat -L -c '%s %Y' -- %1 2>/dev/null || echo -; ");
    QString script = "cd || exit 1; pwd; ";
    for (const Input &input : mInputs)
        script += stat.arg(q(input.local));
    script += "cat -- " + q(mMarker.isEmpty() ? QStringLiteral("/nonexistent") : mMarker) + " 2>/dev/null; echo; ";
    const QString job = mSpec.runner.stage + "/" + jobFolderName(mSpec.output);
    for (const Input &input : mInputs)
        script += stat.arg(q(job + "/in/" + input.role + "/" + QFileInfo(input.local).fileName()));
    Q_EMIT progressed(0, tr("asking %1 whether it sees the job's files").arg(mSpec.runner.host));
    mFirst = std::make_unique<QProcess>();
    QProcess *ask = mFirst.get();
    connect(ask, &QProcess::finished, this, [this, ask](int exitCode, QProcess::ExitStatus status) {
        if (!mMarker.isEmpty())
            QFile::remove(mMarker);
        const QString answer = QString::fromUtf8(ask->readAllStandardOutput());
        if (status != QProcess::NormalExit || exitCode != 0)
            return fail(tr("cannot reach %1 (exit status %2): %3")
                            .arg(mSpec.runner.host).arg(exitCode).arg(QString::fromUtf8(ask->readAllStandardError()).trimmed()));
        asked(answer.split('\n'));
    });
    ask->start(Runner::sshClient(), mSpec.runner.remoteShell(script));
}

void RemoteStaging::asked(const QStringList &answer)
{
    const std::size_t n = mInputs.size();
    if (std::size_t(answer.size()) < 2 * n + 2)
        return fail(tr("%1 answered what no shell would: %2").arg(mSpec.runner.host, answer.join(" / ")));
    bool shared = !mSpec.runner.alwaysCopy && !mMarker.isEmpty() && answer[int(n) + 1].trimmed() == mToken;
    for (std::size_t i = 0; i < n; ++i)
        shared = shared && sameAsHere(mInputs[i].local, answer[int(i) + 1].trimmed());
    if (shared) {
        Q_EMIT progressed(0, tr("%1 sees the job's files: used in place").arg(mSpec.runner.host));
        Q_EMIT prepared();
        return;
    }
    mCopies = true;
    const QString home = answer[0].trimmed();
    mFolder = (mSpec.runner.stage.startsWith('/') ? QString() : home + "/") + mSpec.runner.stage + "/" + jobFolderName(mSpec.output);
    mStaged.assign(n, false);
    for (std::size_t i = 0; i < n; ++i) {
        mStaged[i] = sameAsHere(mInputs[i].local, answer[int(n + i) + 2].trimmed());
        mInputs[i].there = mFolder + "/in/" + mInputs[i].role + "/" + QFileInfo(mInputs[i].local).fileName();
        if (mInputs[i].remote)
            *mInputs[i].remote = mInputs[i].there;
    }
    mRemote.output = mFolder + "/out/" + QFileInfo(mSpec.output).fileName();
    if (mSpec.kind == JobSpec::Kind::Sample) { // the configuration names the copies
        SampleOptions options = SampleOptions::fromJson(readTextFile(mSpec.config.toStdString()), mSpec.config.toStdString(), {});
        options.encoderPath = mInputs[0].there.toStdString();
        options.zooPath = mInputs[1].there.toStdString();
        mScratch = std::make_unique<QTemporaryDir>();
        Input &config = mInputs[2];
        config.local = mScratch->filePath(QFileInfo(mSpec.config).fileName());
        writeTextFile(config.local.toStdString(), options.toJson());
        mStaged[2] = false;
    }
    uploadNext(0);
}

void RemoteStaging::uploadNext(std::size_t index)
{
    while (index < mInputs.size() && mStaged[index])
        ++index; // the host has that copy from before
    if (index == mInputs.size()) {
        Q_EMIT progressed(0, tr("files copied to %1:%2").arg(mSpec.runner.host, mFolder));
        Q_EMIT prepared();
        return;
    }
    const QFileInfo local(mInputs[index].local);
    const QString into = mFolder + "/in/" + mInputs[index].role;
    const QString unpack = "mkdir -p " + q(into) + " " + q(mFolder + "/out") + " && tar -xf - -C " + q(into);
    pipe(tr("copying %1 up to %2").arg(local.fileName(), mSpec.runner.host),
         {"tar", "-cf", "-", "-C", local.absolutePath(), "--", local.fileName()},
         QStringList{Runner::sshClient()} + mSpec.runner.remoteShell(unpack), true, sizeOf(local.absoluteFilePath()),
         [this, index] { uploadNext(index + 1); });
}

void RemoteStaging::fetch()
{
    if (!mCopies) {
        Q_EMIT fetched();
        return;
    }
    const QString name = QFileInfo(mSpec.output).fileName();
    const QString landing = landingFolder();
    QDir(landing).removeRecursively(); // what an interrupted copy left
    if (!QDir().mkpath(landing))
        return fail(tr("cannot create %1 for the results").arg(landing));
    const QString pack = "cd " + q(mFolder + "/out") + " && printf 'wse-bytes %s\\n' \"$(du -sb -- " + q(name) +
                         " | cut -f1)\" >&2 && tar -cf - -- " + q(name);
    pipe(tr("copying %1 back from %2").arg(name, mSpec.runner.host), QStringList{Runner::sshClient()} + mSpec.runner.remoteShell(pack),
         {"tar", "-xf", "-", "-C", landing}, false, -1, [this] { placeOutput(); });
}

QString RemoteStaging::landingFolder() const
{
    return QFileInfo(mSpec.output).absolutePath() + "/.wse-fetch-" + jobFolderName(mSpec.output);
}

// The copy has arrived whole: it replaces the output here (a folder: the old one goes after).
void RemoteStaging::placeOutput()
{
    const QString landing = landingFolder();
    const QString arrived = landing + "/" + QFileInfo(mSpec.output).fileName();
    const QString old = landing + "/replaced";
    const bool folder = QFileInfo(arrived).isDir();
    bool placed = false;
    if (folder) {
        const bool hadOne = QFileInfo::exists(mSpec.output);
        placed = (!hadOne || QDir().rename(mSpec.output, old)) && QDir().rename(arrived, mSpec.output);
    } else {
        placed = std::rename(QFile::encodeName(arrived).constData(), QFile::encodeName(mSpec.output).constData()) == 0;
    }
    QDir(landing).removeRecursively();
    if (!placed)
        return fail(tr("the results arrived, but cannot be put in place at %1").arg(mSpec.output));
    Q_EMIT fetched();
}

void RemoteStaging::pipe(const QString &what, QStringList producer, QStringList consumer, bool countProducer, qint64 total,
                         std::function<void()> done)
{
    stopProcesses();
    mFirst = std::make_unique<QProcess>();
    mSecond = std::make_unique<QProcess>();
    mFirst->setStandardOutputProcess(mSecond.get());
    auto totalBytes = std::make_shared<qint64>(total);
    auto errors = std::make_shared<QString>();
    for (QProcess *process : {mFirst.get(), mSecond.get()})
        connect(process, &QProcess::readyReadStandardError, this, [process, totalBytes, errors] {
            for (const QString &line : QString::fromUtf8(process->readAllStandardError()).split('\n', Qt::SkipEmptyParts)) {
                if (line.startsWith("wse-bytes "))
                    *totalBytes = line.mid(10).toLongLong();
                else
                    *errors += line + "\n";
            }
        });
    QProcess *counted = countProducer ? mFirst.get() : mSecond.get();
    mPoll.disconnect();
    connect(&mPoll, &QTimer::timeout, this, [this, what, counted, countProducer, totalBytes] {
        const qint64 bytes = ioCount(counted->processId(), countProducer ? "rchar:" : "wchar:");
        if (bytes < 0 || *totalBytes <= 0)
            return Q_EMIT progressed(0, what);
        const qint64 shown = std::min(bytes, *totalBytes);
        Q_EMIT progressed(int(99 * shown / *totalBytes), tr("%1: %2 of %3 MB").arg(what, megabytes(shown), megabytes(*totalBytes)));
    });
    connect(mSecond.get(), &QProcess::finished, this, [this, what, errors, done](int exitCode, QProcess::ExitStatus status) {
        mPoll.stop();
        mFirst->waitForFinished(10000);
        const bool ok = status == QProcess::NormalExit && exitCode == 0 && mFirst->exitStatus() == QProcess::NormalExit &&
                        mFirst->exitCode() == 0;
        if (!ok)
            return fail(tr("%1 failed: %2").arg(what, errors->trimmed().isEmpty() ? tr("exit status %1").arg(exitCode) : errors->trimmed()));
        done();
    });
    Q_EMIT progressed(0, what);
    mFirst->start(producer.takeFirst(), producer);
    mSecond->start(consumer.takeFirst(), consumer);
    mPoll.start();
}

void RemoteStaging::stopProcesses()
{
    mPoll.stop();
    for (auto *process : {&mFirst, &mSecond}) {
        if (!*process)
            continue;
        (*process)->disconnect(this);
        if ((*process)->state() != QProcess::NotRunning) {
            (*process)->kill();
            (*process)->waitForFinished(3000);
        }
        process->release()->deleteLater(); // it may be the one whose signal runs now
    }
}

void RemoteStaging::cancel()
{
    stopProcesses();
}

void RemoteStaging::fail(const QString &message)
{
    mPoll.stop();
    Q_EMIT failed(message);
}

} // namespace wse
