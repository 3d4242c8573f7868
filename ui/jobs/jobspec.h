#pragma once
// A job as the explorer runs it: what, with which files, where — everything `wse` needs to run it
// again, as a command a user can type and as the arguments the explorer runs.
#include "jobs/runner.h"

#include <QString>
#include <QStringList>

namespace wse {

// What a job runs: a zoo training (config = the zoo options' JSON), a SANE training (config = the
// encoder configuration's JSON, on `zoo`), sampling networks (config = the sampling options'
// JSON), embedding `zoo` (config = the encoder .pt), importing an official zoo folder (config =
// the folder) or data-free metrics of `zoo` (output: the zoo, rewritten with the metric columns).
// Everything `wse` needs to run it again.
struct JobSpec
{
    enum class Kind { Zoo, Sane, Sample, Embed, Import, Metrics };
    Kind kind = Kind::Zoo;
    QString config, output, zoo, device = "auto", precision = "fp32";
    Runner runner; // where its wse runs (jobs/runner.h)

    QString command() const;     // as a user types it in a shell
    QStringList arguments() const; // of the `wse` the explorer runs (document/childprocesscheck.h)
    QString toText() const; // for the list of unfinished jobs in the settings
    static JobSpec fromText(const QString &text); // kind Zoo with an empty config when unreadable
};

// Where embeddings of a zoo go when nobody says: beside it, ZOO-embeddings-N.h5, never over a file.
QString freeEmbeddingsPath(const QString &zooPath);

} // namespace wse
