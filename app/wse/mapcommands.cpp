#include "mapcommands.h"

#include "terminalprogress.h"

#include "analysis/pointscsv.h"
#include "analysis/projection.h"
#include "common/error.h"
#include "common/filekind.h"
#include "common/log.h"
#include "common/text.h"
#include "common/textfile.h"
#include "formats/fileformat.h"
#include "workspace/mapinput.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace wse {

namespace {

// Where the points come from: SANE embeddings, or a zoo's raw weights.
struct InputArguments
{
    std::string embeddings, zoo, architecture;

    void add(CLI::App *command)
    {
        command->add_option("--embeddings", embeddings, "SANE embeddings (.h5) from wse embed");
        command->add_option("--zoo", zoo, "Zoo file (.h5): use its raw flattened weights instead of embeddings");
        command->add_option("--architecture", architecture, "With --zoo: which architecture (default: the first)");
    }

    MapInput load(Embeddings *loaded = nullptr) const
    {
        if (embeddings.empty() == zoo.empty())
            throw UsageError("give either --embeddings EMB.h5 or --zoo ZOO.h5");
        MapInput input;
        if (!embeddings.empty()) {
            Embeddings e = Embeddings::read(embeddings);
            input = mapInputFromEmbeddings(e);
            if (loaded)
                *loaded = std::move(e);
        } else {
            input = mapInputFromZooWeights(zoo, architecture);
        }
        for (const std::string &note : input.notes)
            std::cerr << "wse: note: " << note << "\n";
        return input;
    }
};

std::string formatNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

// The map's points (and the added ones) through the one points writer, with the zoo's columns
// when the zoo of the points can be read.
void writeProjectionCsv(const std::string &path, const MapInput &input, const Projection &projection,
                        const std::vector<std::string> &addedLabels, const std::vector<float> &added)
{
    std::optional<Zoo> zoo;
    if (!input.zooPath.empty() && std::filesystem::exists(input.zooPath)) {
        try {
            zoo = ZooStore::read(input.zooPath, /*withWeights=*/false);
        } catch (const Error &error) {
            logWarning(std::string(error.what()) + " (the CSV has no checkpoint columns)");
        }
    }
    MapPoints points;
    points.zoo = zoo ? &*zoo : nullptr;
    points.checkpoints = input.checkpoints;
    points.checkpoints.resize(points.checkpoints.size() + addedLabels.size(), -1);
    points.labels = input.labels;
    points.labels.insert(points.labels.end(), addedLabels.begin(), addedLabels.end());
    points.layout = projection.coordinates;
    points.layout.insert(points.layout.end(), added.begin(), added.end());
    points.layoutDims = projection.settings.dims;
    points.layoutName = methodName(projection.settings.method);
    writeTextFile(path, pointsCsv(points));
}

namespace {

struct ProjectArguments
{
    InputArguments input;
    ProjectionSettings settings;
    std::string method = "pca", metric = "euclidean", add, name, output;
    std::vector<std::string> set;
    bool anyway = false; // a t-SNE estimated at over an hour
};

// New points placed into a finished map (--add): their labels and positions.
struct AddedPoints
{
    Embeddings embeddings;
    std::vector<std::string> labels;
    std::vector<float> positions;
};

void printProjection(const Projection &projection, int64_t points, const AddedPoints &added, const std::string &addPath)
{
    std::cout << projection.settings.describe() << ": " << points << " points in " << formatNumber(projection.seconds) << " s\n";
    if (!projection.explainedRatio.empty()) {
        std::cout << "explained variance ratio:";
        for (double r : projection.explainedRatio)
            std::cout << " " << formatNumber(r);
        std::cout << "\n";
    }
    if (projection.quality.queries > 0)
        std::cout << projection.quality.describe() << "\n";
    for (const std::string &note : projection.notes)
        std::cout << "note: " << note << "\n";
    if (!added.labels.empty())
        std::cout << "placed " << added.labels.size() << " new points from " << addPath << "\n";
}

// Adds the map (and the embeddings it came from, and the added points) to a workspace, created
// for the input's zoo when it does not exist.
void writeProjectionWorkspace(const ProjectArguments &a, const MapInput &input, const Embeddings &embeddings,
                              const Projection &projection, const AddedPoints &added)
{
    const bool exists = std::filesystem::exists(a.output);
    Workspace workspace = exists ? Workspace::read(a.output) : Workspace::forZoo(input.zooPath);
    if (exists && std::filesystem::absolute(input.zooPath).lexically_normal() != std::filesystem::path(workspace.zoo.path))
        std::cerr << "wse: warning: the workspace belongs to " << workspace.zoo.path << ", the points to " << input.zooPath << "\n";
    if (!a.input.embeddings.empty())
        workspace.putEmbeddings(embeddings);
    const ProjectionSettings &settings = projection.settings;
    WorkspaceMap map;
    map.name = a.name.empty() ? methodName(settings.method) + "-" + std::to_string(settings.dims) + "d-seed" + std::to_string(settings.seed)
                              : a.name;
    map.input = input.key;
    map.checkpoints = input.checkpoints;
    map.projection = projection;
    map.created = currentTimeIso();
    workspace.putMap(map);
    if (!added.labels.empty()) {
        WorkspaceGenerated g;
        g.name = "added to " + map.name;
        g.kind = "added";
        g.zooPath = added.embeddings.source;
        g.provenanceJson = nlohmann::json{{"embeddings", a.add}}.dump();
        g.evaluations = added.embeddings.rows;
        g.encoderId = added.embeddings.encoderId;
        g.latentDims = added.embeddings.dims;
        g.latents = added.embeddings.values;
        workspace.generated.push_back(g);
    }
    workspace.write(a.output);
}

void runProject(const ProjectArguments &a)
{
    checkOutputPath(a.output, {a.input.embeddings, a.input.zoo, a.add});
    ProjectionSettings settings = a.settings;
    settings.method = methodFromName(a.method);
    settings.metric = metricFromName(a.metric);
    for (const std::string &pair : a.set) {
        const size_t equals = pair.find('=');
        if (equals == std::string::npos)
            throw UsageError("--set expects KEY=VALUE, got '" + pair + "'");
        settings.set(pair.substr(0, equals), pair.substr(equals + 1));
    }
    Embeddings embeddings;
    const MapInput input = a.input.load(&embeddings);
    if (const std::string tooLong = tsneTooLong(settings, input.count()); !tooLong.empty() && !a.anyway)
        throw UsageError(tooLong + ": use --method umap, or add --anyway to run the t-SNE");
    const double estimate = estimatedSeconds(settings, input.count());
    if (estimate > 60)
        std::cerr << "wse: " << settings.describe() << " of " << input.count() << " points takes about "
                  << formatDuration(estimate) << " here (every point is mapped; Ctrl-C stops)\n";
    Projection projection;
    {
        TerminalProgress terminal;
        ProgressReporter progress(terminal.callback());
        projection = computeProjection(input.values.data(), input.count(), input.dims, settings, &progress);
    }
    AddedPoints added;
    if (!a.add.empty()) {
        added.embeddings = Embeddings::read(a.add);
        const MapInput extra = mapInputFromEmbeddings(added.embeddings);
        if (extra.dims != input.dims)
            throw UsageError(a.add + " has " + std::to_string(extra.dims) + "-dimensional embeddings, the map's input " +
                             std::to_string(input.dims));
        added.positions = placeNewPoints(projection, input.values.data(), extra.values.data(), extra.count());
        added.labels = extra.labels;
    }
    printProjection(projection, input.count(), added, a.add);
    if (endsWith(a.output, ".csv"))
        writeProjectionCsv(a.output, input, projection, added.labels, added.positions);
    else
        writeProjectionWorkspace(a, input, embeddings, projection, added);
    noteWritten(a.output);
    std::cerr << "wse: wrote " << a.output << "\n";
}

} // namespace

void addProjectCommand(CLI::App &app)
{
    auto a = std::make_shared<ProjectArguments>();
    CLI::App *command = app.add_subcommand("project", "Map embeddings (or weights) to 2D/3D with PCA, t-SNE or UMAP, seeded, "
                                                      "with trustworthiness and continuity; writes CSV or adds the map to a workspace");
    a->input.add(command);
    command->add_option("--method", a->method, "pca, tsne or umap")->capture_default_str();
    command->add_option("--dims", a->settings.dims, "2 or 3")->capture_default_str();
    command->add_option("--seed", a->settings.seed, "Random seed (the same seed gives the same map)")->capture_default_str();
    command->add_option("--metric", a->metric, "euclidean or cosine (input space)")->capture_default_str();
    command->add_option("--set", a->set, "KEY=VALUE with umap-learn / scikit-learn names: n_neighbors, min_dist, init, "
                                         "n_epochs, perplexity, learning_rate, early_exaggeration, n_iter, angle, ...");
    command->add_option("--add", a->add, "Embeddings (.h5) of new checkpoints to place into the map without recomputing it");
    command->add_option("--name", a->name, "Name of the map in the workspace (default: method, dims, seed)");
    command->add_flag("--anyway", a->anyway, "Run a t-SNE estimated at over an hour (refused otherwise, with UMAP's estimate)");
    command->add_option("-o,--output", a->output, "OUT.csv (coordinates) or OUT.h5 (workspace: created or updated)")->required();
    command->callback([a] { runProject(*a); });
}

void addNeighborsCommand(CLI::App &app)
{
    struct Arguments
    {
        InputArguments input;
        std::vector<std::string> of;
        int k = 10;
        std::string metric = "euclidean", search = "auto", output;
    };
    auto a = std::make_shared<Arguments>();
    CLI::App *command = app.add_subcommand("neighbors", "k nearest neighbours of checkpoints in the latent space (or the raw "
                                                        "weight space with --zoo), for chosen checkpoints or the whole zoo");
    a->input.add(command);
    command->add_option("--of", a->of, "Checkpoints MODEL:EPOCH (default: every checkpoint)");
    command->add_option("-k", a->k, "Neighbours per checkpoint")->capture_default_str();
    command->add_option("--metric", a->metric, "euclidean or cosine")->capture_default_str();
    command->add_option("--search", a->search, "auto (exact up to 30,000 points), exact or approximate (HNSW)")
        ->capture_default_str();
    command->add_option("-o,--output", a->output, "CSV file (default: standard output)");
    command->callback([a] {
        if (!a->output.empty())
            checkOutputPath(a->output, {a->input.embeddings, a->input.zoo});
        const MapInput input = a->input.load();
        NeighborOptions options;
        options.metric = metricFromName(a->metric);
        options.search = searchFromName(a->search);
        NeighborGraph graph;
        {
            TerminalProgress terminal;
            ProgressReporter progress(terminal.callback());
            graph = nearestNeighbors(input.values.data(), input.count(), input.dims, a->k, options, &progress);
        }
        std::vector<int64_t> rows;
        for (const std::string &label : a->of)
            rows.push_back(input.find(label));
        if (rows.empty())
            for (int64_t i = 0; i < input.count(); ++i)
                rows.push_back(i);
        std::ostringstream out;
        out << "checkpoint,rank,neighbor,neighbor_checkpoint,distance\n";
        for (int64_t i : rows)
            for (int j = 0; j < graph.k; ++j) {
                const int64_t n = graph.neighbors(i)[j];
                out << input.labels[size_t(i)] << "," << j + 1 << "," << input.labels[size_t(n)] << ","
                    << input.checkpoints[size_t(n)] << "," << formatNumber(graph.distancesOf(i)[j]) << "\n";
            }
        if (a->output.empty()) {
            std::cout << out.str();
        } else {
            writeTextFile(a->output, out.str());
            noteWritten(a->output);
            std::cerr << "wse: wrote " << a->output << " (" << rows.size() << " checkpoints x " << graph.k << " neighbours, "
                      << (graph.exact ? "exact" : "approximate") << ")\n";
        }
    });
}

void relinkWorkspace(const std::string &path, const std::string &zoo, std::vector<std::string> search)
{
    Workspace workspace = Workspace::read(path);
    std::string found;
    if (!zoo.empty()) {
        requireFileKind(zoo, {FileKind::Zoo});
        if (fileContentHash(zoo) != workspace.zoo.contentHash)
            throw UsageError(zoo + " is not the zoo this workspace was made from (its content hash differs)");
        found = std::filesystem::absolute(zoo).lexically_normal().string();
    } else {
        search.push_back(std::filesystem::absolute(path).parent_path().string());
        found = workspace.zoo.locate(search);
        if (found.empty())
            throw UsageError(path + ": its zoo " + workspace.zoo.path + " (" + workspace.zoo.contentHash +
                             ") is not there nor in the folders searched; give --zoo or more --search folders");
    }
    if (found == workspace.zoo.path) {
        std::cerr << "wse: " << path << ": its zoo is where it was (" << found << ")\n";
        return;
    }
    workspace.zoo.path = found;
    workspace.write(path);
    std::cerr << "wse: " << path << ": zoo now " << found << "\n";
}

void addWorkspaceCommand(CLI::App &app)
{
    CLI::App *workspace = app.add_subcommand("workspace", "Workspace files (maps, selections, bookmarks, generated models)");
    workspace->require_subcommand(1);
    auto path = std::make_shared<std::string>();
    CLI::App *info = workspace->add_subcommand("info", "Describe a workspace: its zoo, embeddings, maps and their quality");
    info->add_option("workspace", *path, "Workspace file (.h5)")->required();
    info->callback([path] { std::cout << Workspace::read(*path).describe(); });

    struct RelinkArguments
    {
        std::string workspace, zoo;
        std::vector<std::string> search;
    };
    auto relink = std::make_shared<RelinkArguments>();
    CLI::App *command = workspace->add_subcommand(
        "relink", "Point a workspace at its zoo after the zoo moved: found by its content hash (in the workspace's "
                  "folder, --search folders and their sub-folders) or given with --zoo (checked)");
    command->add_option("workspace", relink->workspace, "Workspace file (.h5), updated in place, atomically")->required();
    command->add_option("--zoo", relink->zoo, "The zoo's new path (its content must match)");
    command->add_option("--search", relink->search, "Folders to look in");
    command->callback([relink] { relinkWorkspace(relink->workspace, relink->zoo, relink->search); });
}

} // namespace

void addMapCommands(CLI::App &app)
{
    addProjectCommand(app);
    addNeighborsCommand(app);
    addWorkspaceCommand(app);
}

} // namespace wse
