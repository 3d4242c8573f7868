#include "document/childprocesscheck.h"

#include "common/error.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace wse {

QString wseExecutable()
{
    const QString chosen = qEnvironmentVariable("WSE_EXECUTABLE"); // tests, and installs elsewhere
    if (!chosen.isEmpty())
        return chosen;
    const QString folder = QCoreApplication::applicationDirPath();
    for (const QString &candidate : {folder + "/wse", folder + "/../wse/wse"})
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    return QStandardPaths::findExecutable("wse");
}

void tryFileInChildProcess(const QString &path, FileKind kind, int timeoutSeconds)
{
    static const QString program = wseExecutable();
    if (program.isEmpty())
        return;
    QProcess child;
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.setStandardOutputFile(QProcess::nullDevice());
    child.start(program, {"info", "--kind", QString::fromStdString(fileFormat(kind).id), path});
    if (!child.waitForStarted(10000))
        return; // the checker could not run: read as before rather than refuse a good file
    if (!child.waitForFinished(timeoutSeconds * 1000)) {
        child.kill();
        child.waitForFinished(5000);
        throw FormatError(path.toStdString(), "damaged file: reading it did not finish in " +
                                                  std::to_string(timeoutSeconds) + " s (the HDF5 library loops on it); nothing was read");
    }
    if (child.exitStatus() == QProcess::CrashExit)
        throw FormatError(path.toStdString(), "damaged file: reading it crashed the HDF5 library; nothing was read");
    if (child.exitCode() == 0)
        return;
    QString message = QString::fromUtf8(child.readAllStandardError()).trimmed().section('\n', 0, 0);
    message.remove(QStringLiteral("wse: error: "));
    // The child's message names the file already.
    throw FormatError({}, message.isEmpty() ? path.toStdString() + ": unreadable" : message.toStdString());
}

} // namespace wse
