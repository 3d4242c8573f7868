#pragma once
// SANE embeddings made by a `wse embed` child process, for work that waits on them in a worker
// thread (opening a zoo with an encoder, placing dropped checkpoint files or generated networks on
// the map): torch runs in that process, so that a fault or an out-of-memory there is an error here
// — with the child's exit status and last words — and never takes the explorer down.
#include "sane/embeddings.h"
#include "sane/saneembedder.h"

#include <QString>
#include <QStringList>

namespace wse {

class ProgressReporter;

// Runs `wse ARGUMENTS --progress json` and waits (call it off the GUI thread: it runs an event loop
// of its own). Progress goes to `progress`, whose cancellation stops the child (throws Cancelled);
// a failure throws Error with the child's report. Returns what it printed on standard output.
QString runWseAndWait(const QStringList &arguments, ProgressReporter *progress);

// The embeddings of a zoo's checkpoints, or of checkpoint files, with the encoder.
Embeddings embedZooInChild(const QString &encoder, const QString &zoo, const EmbedOptions &options, ProgressReporter *progress);
Embeddings embedFilesInChild(const QString &encoder, const QStringList &files, const EmbedOptions &options,
                             ProgressReporter *progress);

} // namespace wse
