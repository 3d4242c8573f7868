#include "jobs/jobspec.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace wse {

namespace {
QString quoted(const QString &text) { return "'" + QString(text).replace("'", "'\\''") + "'"; }
} // namespace

namespace {
const char *kindName(JobSpec::Kind kind)
{
    switch (kind) {
    case JobSpec::Kind::Zoo: return "zoo";
    case JobSpec::Kind::Sane: return "sane";
    case JobSpec::Kind::Sample: return "sample";
    case JobSpec::Kind::Embed: return "embed";
    case JobSpec::Kind::Import: return "import";
    case JobSpec::Kind::Metrics: return "metrics";
    }
    return "zoo";
}
} // namespace

QString JobSpec::command() const
{
    const QString wse = (kind == Kind::Import ? runner.alone() : runner).commandPrefix(); // importing: one process
    if (kind == Kind::Zoo)
        return QString("%1 zoo train --config %2 -o %3").arg(wse, quoted(config), quoted(output));
    if (kind == Kind::Sample)
        return QString("%1 sample --config %2 -o %3").arg(wse, quoted(config), quoted(output));
    if (kind == Kind::Import)
        return QString("%1 zoo import %2 -o %3").arg(wse, quoted(config), quoted(output));
    if (kind == Kind::Metrics)
        return QString("%1 zoo metrics --spectral %2 -o %3").arg(wse, quoted(zoo), quoted(output));
    if (kind == Kind::Embed)
        return QString("%1 embed --sane %2 --zoo %3 --device %4 --precision %5 -o %6")
            .arg(wse, quoted(config), quoted(zoo), device, precision, quoted(output));
    return QString("%1 sane train --zoo %2 --config %3 --device %4 --precision %5 -o %6")
        .arg(wse, quoted(zoo), quoted(config), device, precision, quoted(output));
}

QStringList JobSpec::arguments() const
{
    switch (kind) {
    case Kind::Zoo: return {"zoo", "train", "--config", config, "-o", output};
    case Kind::Sample: return {"sample", "--config", config, "-o", output};
    case Kind::Import: return {"zoo", "import", config, "-o", output};
    case Kind::Metrics: return {"zoo", "metrics", "--spectral", zoo, "-o", output};
    case Kind::Embed:
        return {"embed", "--sane", config, "--zoo", zoo, "--device", device, "--precision", precision, "-o", output};
    case Kind::Sane:
        return {"sane", "train", "--zoo", zoo, "--config", config, "--device", device, "--precision", precision, "-o", output};
    }
    return {};
}

QString JobSpec::toText() const
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{"kind", kindName(kind)},
                                                       {"config", config},
                                                       {"output", output},
                                                       {"zoo", zoo},
                                                       {"device", device},
                                                       {"precision", precision},
                                                       {"runner", runner.toText()}})
                                 .toJson(QJsonDocument::Compact));
}

JobSpec JobSpec::fromText(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    JobSpec spec;
    spec.kind = Kind::Zoo;
    for (Kind kind : {Kind::Sane, Kind::Sample, Kind::Embed, Kind::Import, Kind::Metrics})
        if (o["kind"].toString() == kindName(kind))
            spec.kind = kind;
    spec.config = o["config"].toString();
    spec.output = o["output"].toString();
    spec.zoo = o["zoo"].toString();
    spec.device = o["device"].toString("auto");
    spec.precision = o["precision"].toString("fp32");
    spec.runner = Runner::fromText(o["runner"].toString());
    return spec;
}

QString freeEmbeddingsPath(const QString &zooPath)
{
    const QFileInfo zoo(zooPath);
    QString output;
    for (int n = 1; output.isEmpty() || QFileInfo::exists(output); ++n)
        output = zoo.dir().filePath(QStringLiteral("%1-embeddings-%2.h5").arg(zoo.completeBaseName()).arg(n));
    return output;
}

} // namespace wse
