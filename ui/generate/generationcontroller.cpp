#include "generate/generationcontroller.h"

#include "document/backgroundtask.h"
#include "document/childprocesscheck.h"
#include "jobs/childembedding.h"
#include "jobs/processtask.h"
#include "document/zoodocument.h"
#include "map/layoutcontroller.h"
#include "map/mapview.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/textfile.h"
#include "zoo/zoocheckpoints.h"
#include "zoo/zoostore.h"

#include <QDir>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>

namespace wse {

namespace {

// How a set was made: enough to make it again.
nlohmann::ordered_json provenanceOf(const GeneratedNetworks &set)
{
    const SampleOptions &options = set.options;
    nlohmann::ordered_json provenance;
    provenance["origin"] = set.kind;
    provenance["zoo"] = options.zooPath;
    provenance["networks_zoo"] = options.output;
    provenance["encoder"] = options.encoderPath;
    if (set.kind == "decoded") {
        provenance["from"] = set.from;
        provenance["to"] = set.to;
    } else {
        provenance["anchors"] = options.anchors;
        provenance["count"] = options.count;
        provenance["keep"] = options.keep;
        provenance["bandwidth"] = options.bandwidth;
        provenance["seed"] = options.seed;
    }
    return provenance;
}

} // namespace

Rgb generatedColour(const std::string &kind)
{
    if (kind == "decoded")
        return Rgb{140, 20, 40}; // dark crimson
    if (kind == "dropped")
        return Rgb{30, 50, 120}; // dark navy
    return Rgb{25, 25, 25};      // sampled: near-black
}

GenerationController::GenerationController(MapView *view, LayoutController *layouts, QObject *parent)
    : QObject(parent), mView(view), mLayouts(layouts)
{}

GenerationController::~GenerationController() = default;

void GenerationController::setDocument(std::shared_ptr<const ZooDocument> document)
{
    mTask.reset();
    mSets.clear();
    mDocument = std::move(document);
    mView->setOverlayPoints({});
    if (mDocument && mDocument->openedWorkspace())
        restore(mDocument->openedWorkspace()->generated);
}

std::vector<WorkspaceGenerated> GenerationController::toWorkspace() const
{
    std::vector<WorkspaceGenerated> generated;
    for (size_t i = 0; i < mSets.size(); ++i) {
        const GeneratedNetworks &set = mSets[i];
        WorkspaceGenerated g;
        g.name = set.kind + " " + std::to_string(i + 1);
        g.kind = set.kind;
        g.zooPath = set.options.output;
        nlohmann::ordered_json provenance = provenanceOf(set);
        provenance["report"] = set.report.toStdString();
        g.provenanceJson = provenance.dump();
        try { // the evaluation of every sample, as its zoo records it
            const Zoo zoo = ZooStore::read(set.options.output, false);
            for (const char *name : {zoocol::ModelId, "test_acc", "val_acc", "kept", "anchor_model", "anchor_epoch"})
                if (zoo.checkpoints.find(name) || zoo.models.find(name))
                    g.evaluations.addColumn(zoo.checkpointColumn(name));
        } catch (const Error &) {
            g.evaluations = set.embeddings.rows; // the samples zoo is gone: keep at least the ids
        }
        g.encoderId = set.embeddings.encoderId;
        g.latentDims = set.embeddings.dims;
        g.latents = set.embeddings.values;
        generated.push_back(std::move(g));
    }
    return generated;
}

void GenerationController::restore(const std::vector<WorkspaceGenerated> &generated)
{
    for (const WorkspaceGenerated &g : generated) {
        if ((g.kind != "sampled" && g.kind != "decoded" && g.kind != "dropped") || g.latentDims <= 0)
            continue;
        GeneratedNetworks set;
        set.kind = g.kind;
        set.options.output = g.zooPath;
        try {
            const nlohmann::json provenance = nlohmann::json::parse(g.provenanceJson);
            set.options.encoderPath = provenance.value("encoder", "");
            set.options.anchors = provenance.value("anchors", "");
            set.options.count = provenance.value("count", int64_t(0));
            set.options.keep = provenance.value("keep", int64_t(0));
            set.options.bandwidth = provenance.value("bandwidth", 0.0);
            set.options.seed = provenance.value("seed", int64_t(0));
            set.from = provenance.value("from", "");
            set.to = provenance.value("to", "");
            set.report = QString::fromStdString(provenance.value("report", ""));
        } catch (const nlohmann::json::exception &) {
            continue;
        }
        if (mDocument)
            set.options.zooPath = mDocument->path().toStdString();
        set.embeddings.encoderId = g.encoderId;
        set.embeddings.dims = g.latentDims;
        set.embeddings.values = g.latents;
        set.embeddings.rows = g.evaluations;
        mSets.push_back(std::move(set));
    }
}

bool GenerationController::isRunning() const
{
    return (mTask && mTask->isRunning()) || (mChild && mChild->isRunning());
}

void GenerationController::cancel()
{
    if (mChild)
        mChild->cancel();
    if (mTask)
        mTask->cancel();
}

void GenerationController::sample(const SampleOptions &options)
{
    auto pending = std::make_shared<GeneratedNetworks>();
    pending->options = options;
    const QString output = QString::fromStdString(options.output);
    try {
        writeTextFile((output + ".config.json").toStdString(), options.toJson()); // the command's --config
    } catch (const std::exception &error) {
        Q_EMIT failed(QString::fromStdString(error.what()));
        return;
    }
    runChild(pending, {"sample", "--config", output + ".config.json", "-o", output});
}

bool GenerationController::placeCheckpointFiles(const QStringList &files, QString *error)
{
    const QString encoderPath = encoder(error);
    if (encoderPath.isEmpty())
        return false;
    auto pending = std::make_shared<GeneratedNetworks>();
    pending->kind = "dropped";
    pending->options.encoderPath = encoderPath.toStdString();
    pending->options.zooPath = mDocument->path().toStdString();
    pending->from = std::to_string(files.size()) + " checkpoint files";
    mTask.reset();
    mTask = std::make_unique<BackgroundTask>([pending, files](ProgressReporter &progress) {
        progress.report(0.1, "embedding", std::to_string(files.size()) + " checkpoint files");
        pending->embeddings = embedFilesInChild(QString::fromStdString(pending->options.encoderPath), files, pending->options.embed, &progress);
        pending->report = tr("placed %1 checkpoint files on the SANE map").arg(files.size());
    });
    startTask(pending);
    return true;
}

void GenerationController::adoptSamples(const SampleOptions &options, const QString &report)
{
    auto pending = std::make_shared<GeneratedNetworks>();
    pending->options = options;
    pending->report = report;
    embedAndPlace(pending);
}

void GenerationController::decode(const DecodeOptions &options)
{
    auto pending = std::make_shared<GeneratedNetworks>();
    pending->kind = "decoded";
    pending->options.encoderPath = options.encoderPath;
    pending->options.zooPath = options.zooPath;
    pending->options.output = options.output;
    pending->options.embed = options.embed;
    pending->from = options.from;
    pending->to = options.to;
    for (const auto &[checkpoint, weight] : options.blend) // a spot between checkpoints
        pending->from += (pending->from.empty() ? "blend of " : ", ") + checkpoint + "=" + std::to_string(weight).substr(0, 5);
    runChild(pending, decodeArguments(options));
}

// `wse decode` with these options (the command the explorer runs for them).
QStringList GenerationController::decodeArguments(const DecodeOptions &options)
{
    const auto text = [](const auto &value) { return QString::fromStdString(value); };
    QStringList arguments{"decode", "--sane", text(options.encoderPath), "--zoo", text(options.zooPath),
                          "--steps", QString::number(options.steps), "--mode", text(options.embed.mode),
                          "--device", text(options.embed.device), "--precision", text(options.embed.precision),
                          "--bn-condition", QString::number(options.bnConditionIterations), "-o", text(options.output)};
    if (!options.from.empty())
        arguments << "--from" << text(options.from);
    if (!options.to.empty())
        arguments << "--to" << text(options.to);
    if (!options.blend.empty())
        arguments << "--blend";
    for (const auto &[checkpoint, weight] : options.blend)
        arguments << text(checkpoint) + "=" + QString::number(weight, 'g', 17);
    return arguments;
}

QString GenerationController::encoder(QString *error) const
{
    const QString path = mDocument ? mDocument->encoderPath() : QString();
    if (path.isEmpty() && error)
        *error = tr("Generating networks needs the SANE encoder (.pt): open the zoo with --sane ENCODER.pt");
    return path;
}

QString GenerationController::freeOutputPath(const QString &workspace, const QString &kind) const
{
    // Never over an existing file.
    const QFileInfo base(workspace.isEmpty() ? mDocument->path() : workspace);
    QString output;
    for (int n = 1; output.isEmpty() || QFileInfo::exists(output); ++n)
        output = base.dir().filePath(QStringLiteral("%1-%2-%3.h5").arg(base.completeBaseName(), kind).arg(n));
    return output;
}

bool GenerationController::sampleAround(const QString &filter, SampleOptions options, const QString &workspace, QString *error)
{
    const QString encoderPath = encoder(error);
    if (encoderPath.isEmpty())
        return false;
    options.encoderPath = encoderPath.toStdString();
    options.zooPath = mDocument->path().toStdString();
    options.anchors = filter.toStdString();
    options.output = freeOutputPath(workspace, "samples").toStdString();
    sample(options);
    return true;
}

std::string GenerationController::checkpointName(int64_t checkpoint) const
{
    return mDocument->zoo().checkpointName(checkpoint);
}

bool GenerationController::startDecode(DecodeOptions options, const QString &workspace, QString *error)
{
    const QString encoderPath = encoder(error);
    if (encoderPath.isEmpty())
        return false;
    options.encoderPath = encoderPath.toStdString();
    options.zooPath = mDocument->path().toStdString();
    options.output = freeOutputPath(workspace, "decoded").toStdString();
    decode(options);
    return true;
}

bool GenerationController::decodeCheckpoint(int64_t checkpoint, const QString &workspace, QString *error)
{
    DecodeOptions options;
    options.from = checkpointName(checkpoint);
    return startDecode(options, workspace, error);
}

bool GenerationController::decodePath(int64_t from, int64_t to, int steps, const QString &workspace, QString *error)
{
    DecodeOptions options;
    options.from = checkpointName(from);
    options.to = checkpointName(to);
    options.steps = steps;
    return startDecode(options, workspace, error);
}

bool GenerationController::decodeBlend(const std::vector<std::pair<int64_t, double>> &parts, const QString &workspace,
                                       QString *error)
{
    DecodeOptions options;
    for (const auto &[checkpoint, weight] : parts)
        options.blend.emplace_back(checkpointName(checkpoint), weight);
    return startDecode(options, workspace, error);
}

// The networks are made by a `wse` child process (a crash there leaves the explorer as it was);
// the few it made are then embedded here, to be placed on the SANE map.
void GenerationController::runChild(std::shared_ptr<GeneratedNetworks> pending, const QStringList &arguments)
{
    mTask.reset();
    const QString program = wseExecutable();
    if (program.isEmpty()) {
        Q_EMIT failed(tr("no wse executable beside the explorer or on PATH (set WSE_EXECUTABLE to one)"));
        return;
    }
    mChild = std::make_unique<ProcessTask>(program, arguments);
    connect(mChild.get(), &ProcessTask::progressed, this,
            [this](int percent, const QString &stage) { Q_EMIT progressed(percent * 9 / 10, stage); });
    connect(mChild.get(), &ProcessTask::finished, this, [this, pending] {
        pending->report = mChild->standardOutput();
        embedAndPlace(pending);
    });
    connect(mChild.get(), &ProcessTask::failed, this, &GenerationController::stopWith);
    connect(mChild.get(), &ProcessTask::cancelled, this, [this] { stopWith(tr("Cancelled")); });
    Q_EMIT runningChanged(true);
    mChild->start();
}

// Embeds the networks of pending->options.output with the encoder (in a wse process), then places
// them on the SANE map.
void GenerationController::embedAndPlace(std::shared_ptr<GeneratedNetworks> pending)
{
    mTask = std::make_unique<BackgroundTask>([pending](ProgressReporter &progress) {
        ProgressReporter embedding = partOf(&progress, 0.9, 1.0);
        pending->embeddings = embedZooInChild(QString::fromStdString(pending->options.encoderPath),
                                              QString::fromStdString(pending->options.output), pending->options.embed, &embedding);
    });
    startTask(pending);
}

void GenerationController::startTask(std::shared_ptr<GeneratedNetworks> pending)
{
    connect(mTask.get(), &BackgroundTask::progressed, this, &GenerationController::progressed);
    connect(mTask.get(), &BackgroundTask::finished, this, [this, pending] {
        mSets.push_back(std::move(*pending));
        place(mSource, mMethod);
        Q_EMIT runningChanged(false);
        Q_EMIT generated(mSets.back().report);
    });
    connect(mTask.get(), &BackgroundTask::failed, this, &GenerationController::stopWith);
    connect(mTask.get(), &BackgroundTask::cancelled, this, [this] { stopWith(tr("Cancelled")); });
    Q_EMIT runningChanged(true);
    mTask->start();
}

void GenerationController::stopWith(const QString &message)
{
    Q_EMIT runningChanged(false);
    Q_EMIT failed(message);
}

void GenerationController::place(MapSource source, ProjectionMethod method)
{
    mSource = source;
    mMethod = method;
    if (!mDocument || source != MapSource::SaneEmbeddings || mSets.empty() || !mDocument->hasMap(source)) {
        mView->setOverlayPoints({});
        return;
    }
    const WeightMap &map = mDocument->map(source);
    std::vector<float> latents;
    std::vector<Rgb> colours;
    for (const GeneratedNetworks &set : mSets)
        if (set.embeddings.dims == map.featureDims) {
            latents.insert(latents.end(), set.embeddings.values.begin(), set.embeddings.values.end());
            const std::vector<Rgb> own = overlayColours(set);
            colours.insert(colours.end(), own.begin(), own.end());
        }
    const int64_t count = map.featureDims > 0 ? int64_t(latents.size()) / map.featureDims : 0;
    if (method == ProjectionMethod::Pca) {
        mView->setOverlayPoints(map.pca.project(latents.data(), count), colours);
    } else if (const Projection *layout = mLayouts->layout(source, method)) {
        mView->setOverlayPoints(placeNewPoints(*layout, map.features.data(), latents.data(), count), colours);
    } else {
        mView->setOverlayPoints({}); // placed when the layout is ready
    }
}

std::vector<std::pair<std::string, QString>> GenerationController::colouringChoices()
{
    return {{"", tr("Kind (sampled, decoded, dropped files)")},
            {"nearest_ratio", tr("Distance to the Nearest Zoo Checkpoint (ratio)")},
            {"agreement", tr("Agreement with the Nearest Checkpoint")},
            {"near_copy", tr("Near-Copy of a Zoo Checkpoint")},
            {"latent_ratio", tr("Latent Distance to the Nearest Checkpoint (ratio)")},
            {"test_acc", tr("Test Accuracy")}};
}

void GenerationController::setColouring(const std::string &column)
{
    mColouring = column;
    place(mSource, mMethod);
}

QString GenerationController::colouringLegend() const
{
    if (mColouring == "nearest_ratio" || mColouring == "latent_ratio")
        return tr("Generated networks: blue at a zoo checkpoint (ratio 0), grey at the zoo's own nearest-neighbour "
                  "distance (1), red at twice it or farther");
    if (mColouring == "near_copy")
        return tr("Generated networks: yellow are near-copies of a zoo checkpoint, purple are not");
    if (!mColouring.empty())
        return tr("Generated networks by %1: viridis from 0 (purple) to 1 (yellow)").arg(QString::fromStdString(mColouring));
    return tr("Generated networks by kind: sampled near-black, decoded dark crimson, dropped files dark navy");
}

// The set's networks (its zoo file's checkpoints, as embedded) coloured by the chosen column;
// networks without it (dropped files, zoos made before provenance) take the missing colour.
std::vector<Rgb> GenerationController::overlayColours(const GeneratedNetworks &set) const
{
    const int64_t count = set.embeddings.count();
    if (mColouring.empty())
        return std::vector<Rgb>(size_t(count), generatedColour(set.kind));
    std::vector<double> values(size_t(count), NAN);
    if (set.kind != "dropped") {
        try {
            const Zoo zoo = ZooStore::read(set.options.output, false);
            const Column &rows = set.embeddings.rows.get("checkpoint");
            for (int64_t i = 0; i < count; ++i) {
                const int64_t c = int64_t(rows.number(i));
                const std::string text = c >= 0 && c < zoo.checkpointCount() ? zoo.checkpointValue(c, mColouring) : "";
                values[size_t(i)] = text.empty() ? NAN : std::strtod(text.c_str(), nullptr);
            }
        } catch (const std::exception &) {
            // the file is gone or has no such column: missing colour
        }
    }
    const bool ratio = mColouring == "nearest_ratio" || mColouring == "latent_ratio";
    ColourOptions options;
    options.scale = ratio ? ColourScale::Diverging : ColourScale::Viridis;
    options.fixedRange = true;
    options.minimum = 0.0;
    options.maximum = ratio ? 2.0 : 1.0;
    return colourBy(Column::numbers(mColouring, values), options).colours;
}

QStringList GenerationController::networkLabels() const
{
    QStringList labels;
    for (const GeneratedNetworks &set : mSets) {
        if (set.kind == "dropped") { // no zoo file: the files themselves
            for (int64_t r = 0; r < set.embeddings.rows.rowCount(); ++r)
                labels << QString::fromStdString(set.embeddings.rows.get(zoocol::ModelId).text(r)) + QStringLiteral(" · dropped file");
            continue;
        }
        const Zoo zoo = ZooStore::read(set.options.output, false);
        for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
            labels << QStringLiteral("%1 · test_acc %2%3")
                          .arg(QString::fromStdString(zoo.checkpointValue(c, zoocol::ModelId)),
                               QString::fromStdString(zoo.checkpointValue(c, "test_acc")),
                               zoo.checkpointValue(c, "kept") == "1" ? QStringLiteral(" · kept") : QString());
    }
    return labels;
}

void GenerationController::exportNetwork(const QString &modelId, const QString &path) const
{
    for (auto it = mSets.rbegin(); it != mSets.rend(); ++it) {
        const GeneratedNetworks &set = *it;
        if (set.kind == "dropped")
            continue; // the files are checkpoints already
        const Zoo zoo = ZooStore::read(set.options.output, false);
        for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
            if (zoo.checkpointValue(c, zoocol::ModelId) != modelId.toStdString())
                continue;
            const int epoch = int(zoo.checkpoints.get(zoocol::Epoch).number(c));
            exportCheckpointFile(set.options.output, modelId.toStdString(), epoch, path.toStdString(),
                                 /*provenance=*/true, provenanceOf(set).dump());
            return;
        }
    }
    throw UsageError("no generated network '" + modelId.toStdString() + "'");
}

} // namespace wse
