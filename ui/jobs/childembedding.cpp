#include "jobs/childembedding.h"

#include "common/error.h"
#include "document/childprocesscheck.h"
#include "jobs/processtask.h"
#include "jobs/progress.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

namespace wse {

namespace {

QStringList embedArguments(const QString &encoder, const EmbedOptions &options)
{
    return {"embed", "--sane", encoder, "--mode", QString::fromStdString(options.mode),
            "--device", QString::fromStdString(options.device), "--precision", QString::fromStdString(options.precision),
            "--align", QString::fromStdString(options.align)};
}

// `files`: checkpoint files, as absolute paths (a relative name could start with a dash).
Embeddings embedInChild(QStringList arguments, const QStringList &files, ProgressReporter *progress)
{
    QTemporaryDir scratch;
    if (!scratch.isValid())
        throw IoError(scratch.path().toStdString(), "cannot create a folder for the embeddings: " + scratch.errorString().toStdString());
    const QString output = scratch.filePath("embeddings.h5");
    arguments << "-o" << output;
    for (const QString &file : files)
        arguments << QFileInfo(file).absoluteFilePath();
    runWseAndWait(arguments, progress);
    return Embeddings::read(output.toStdString());
}

} // namespace

QString runWseAndWait(const QStringList &arguments, ProgressReporter *progress)
{
    const QString program = wseExecutable();
    if (program.isEmpty())
        throw UsageError("no wse executable beside the explorer or on PATH (set WSE_EXECUTABLE to one)");
    ProcessTask task(program, arguments);
    QEventLoop loop;
    QString failure;
    bool cancelled = false;
    double fraction = 0.0;
    std::string stage = "starting";
    // The reporter's answer says whether to go on: asked at every event, and while the child is quiet.
    auto ask = [&] {
        try {
            reportTo(progress, fraction, stage);
        } catch (const Cancelled &) {
            cancelled = true;
            task.cancel();
        }
    };
    QObject::connect(&task, &ProcessTask::progressed, &loop, [&](int percent, const QString &text) {
        fraction = percent / 100.0;
        stage = text.toStdString();
        ask();
    });
    QTimer quiet;
    QObject::connect(&quiet, &QTimer::timeout, &loop, ask);
    quiet.start(250);
    QObject::connect(&task, &ProcessTask::finished, &loop, &QEventLoop::quit);
    QObject::connect(&task, &ProcessTask::cancelled, &loop, [&] {
        cancelled = true;
        loop.quit();
    });
    QObject::connect(&task, &ProcessTask::failed, &loop, [&](const QString &message) {
        failure = message;
        loop.quit();
    });
    task.start();
    loop.exec();
    if (cancelled)
        throw Cancelled();
    if (!failure.isEmpty())
        throw Error({}, "wse " + arguments.value(0).toStdString() + ": " + failure.toStdString());
    return task.standardOutput();
}

Embeddings embedZooInChild(const QString &encoder, const QString &zoo, const EmbedOptions &options, ProgressReporter *progress)
{
    return embedInChild(embedArguments(encoder, options) << "--zoo" << zoo, {}, progress);
}

Embeddings embedFilesInChild(const QString &encoder, const QStringList &files, const EmbedOptions &options,
                             ProgressReporter *progress)
{
    return embedInChild(embedArguments(encoder, options), files, progress);
}

} // namespace wse
