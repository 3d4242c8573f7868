#include "workspace/workspace.h"

#include "common/error.h"
#include "common/filekind.h"
#include "common/isolatedread.h"
#include "common/jsonread.h"
#include "common/text.h"
#include "zoo/hdf5io.h"
#include "zoo/hdf5output.h"
#include "zoo/zoo.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wse {

using namespace hdf5;

std::string fileContentHash(const std::string &path)
{
    requireRegularFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path, "cannot open file to hash it");
    uint64_t hash = 1469598103934665603ull;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        const std::streamsize got = in.gcount();
        for (std::streamsize i = 0; i < got; ++i) {
            hash ^= uint8_t(buffer[size_t(i)]);
            hash *= 1099511628211ull;
        }
    }
    char text[32];
    std::snprintf(text, sizeof text, "fnv1a64:%016llx", static_cast<unsigned long long>(hash));
    return text;
}

ZooReference::Status ZooReference::check() const
{
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        return Status::Missing;
    return fileContentHash(path) == contentHash ? Status::Found : Status::Changed;
}

std::string ZooReference::locate(const std::vector<std::string> &folders) const
{
    namespace fs = std::filesystem;
    std::error_code error;
    if (check() == Status::Found)
        return path;
    const auto matches = [&](const fs::path &candidate) {
        return fs::is_regular_file(candidate, error) && detectFileKind(candidate.string()) == FileKind::Zoo &&
               fileContentHash(candidate.string()) == contentHash;
    };
    for (const std::string &folder : folders) {
        std::vector<fs::path> candidates;
        for (fs::directory_iterator entry(folder, error), end; !error && entry != end; entry.increment(error)) {
            if (entry->is_directory(error))
                for (fs::directory_iterator inner(entry->path(), error), innerEnd; !error && inner != innerEnd;
                     inner.increment(error))
                    candidates.push_back(inner->path());
            else
                candidates.push_back(entry->path());
            error.clear();
        }
        std::sort(candidates.begin(), candidates.end()); // the same answer on every run
        for (const fs::path &candidate : candidates)
            if (matches(candidate))
                return fs::absolute(candidate).lexically_normal().string();
        error.clear();
    }
    return {};
}

bool Workspace::isWorkspaceFile(const std::string &path)
{
    return detectFileKind(path) == FileKind::Workspace;
}

Workspace Workspace::forZoo(const std::string &zooPath)
{
    Workspace workspace;
    workspace.zoo.path = std::filesystem::absolute(zooPath).lexically_normal().string();
    workspace.zoo.contentHash = fileContentHash(zooPath);
    workspace.created = currentTimeIso();
    return workspace;
}

namespace {

void writeMap(H5::Group &group, const WorkspaceMap &map)
{
    const Projection &p = map.projection;
    writeStringAttribute(group, "name", map.name);
    writeStringAttribute(group, "input", map.input);
    writeStringAttribute(group, "created", map.created);
    writeStringAttribute(group, "settings", p.settings.toJson());
    writeIntAttribute(group, "input_dims", p.inputDims);
    writeDoubleAttribute(group, "seconds", p.seconds);
    writeStringAttribute(group, "notes", nlohmann::json(p.notes).dump());
    writeIntAttribute(group, "quality_k", p.quality.k);
    writeIntAttribute(group, "quality_queries", p.quality.queries);
    writeDoubleAttribute(group, "trustworthiness", p.quality.trustworthiness);
    writeDoubleAttribute(group, "continuity", p.quality.continuity);
    writeFloatMatrix(group, "coordinates", p.coordinates, p.settings.dims);
    writeInt64Vector(group, "checkpoints", map.checkpoints);
    writeDoubleVector(group, "explained_variance_ratio", p.explainedRatio);
    writeDoubleVector(group, "pca_mean", p.pcaMean);
    writeDoubleVector(group, "pca_axes", p.pcaAxes);
}

WorkspaceMap readMap(const H5::Group &group, const std::string &path)
{
    WorkspaceMap map;
    map.name = readStringAttribute(group, "name");
    map.input = readStringAttribute(group, "input");
    map.created = readStringAttribute(group, "created");
    Projection &p = map.projection;
    try {
        p.settings = ProjectionSettings::fromJson(readStringAttribute(group, "settings"));
    } catch (const FormatError &error) {
        throw FormatError(path, group.getObjName() + ": attribute 'settings': " + error.reason());
    }
    p.inputDims = readIntAttribute(group, "input_dims");
    p.seconds = readDoubleAttribute(group, "seconds");
    p.notes = nlohmann::json::parse(readStringAttribute(group, "notes")).get<std::vector<std::string>>();
    p.quality.k = int(readIntAttribute(group, "quality_k"));
    p.quality.queries = readIntAttribute(group, "quality_queries");
    p.quality.trustworthiness = readDoubleAttribute(group, "trustworthiness");
    p.quality.continuity = readDoubleAttribute(group, "continuity");
    int64_t cols = 0;
    p.coordinates = readFloatMatrix(group, "coordinates", path, cols);
    map.checkpoints = readInt64Vector(group, "checkpoints", path);
    if (cols != p.settings.dims || int64_t(p.coordinates.size()) != cols * int64_t(map.checkpoints.size()))
        throw FormatError(path, "map '" + map.name + "': coordinates do not match its checkpoints and dimensions");
    p.points = int64_t(map.checkpoints.size());
    p.quality.points = p.points;
    p.explainedRatio = readDoubleVector(group, "explained_variance_ratio", path);
    p.pcaMean = readDoubleVector(group, "pca_mean", path);
    p.pcaAxes = readDoubleVector(group, "pca_axes", path);
    return map;
}

void writeGenerated(H5::Group &group, const WorkspaceGenerated &g)
{
    writeStringAttribute(group, "name", g.name);
    writeStringAttribute(group, "kind", g.kind);
    writeStringAttribute(group, "zoo_path", g.zooPath);
    writeStringAttribute(group, "provenance", g.provenanceJson);
    writeStringAttribute(group, "encoder_id", g.encoderId);
    writeTable(group, "evaluations", g.evaluations);
    writeFloatMatrix(group, "latents", g.latents, g.latentDims);
}

WorkspaceGenerated readGenerated(const H5::Group &group, const std::string &path)
{
    WorkspaceGenerated g;
    g.name = readStringAttribute(group, "name");
    g.kind = readStringAttribute(group, "kind");
    g.zooPath = readStringAttribute(group, "zoo_path");
    g.provenanceJson = readStringAttribute(group, "provenance");
    g.encoderId = readStringAttribute(group, "encoder_id");
    g.evaluations = readTable(group, "evaluations", path);
    g.latents = readFloatMatrix(group, "latents", path, g.latentDims);
    return g;
}

// Items are stored as groups "0", "1", ... (user names live in a "name" attribute, so any name
// is allowed) under one group per kind.
template <typename Item, typename Writer>
void writeItems(H5::H5File &file, const char *kind, const std::vector<Item> &items, Writer writer)
{
    H5::Group parent = file.createGroup(kind);
    writeIntAttribute(parent, "count", int64_t(items.size()));
    for (size_t i = 0; i < items.size(); ++i) {
        H5::Group group = parent.createGroup(std::to_string(i));
        writer(group, items[i]);
    }
}

template <typename Item, typename Reader>
std::vector<Item> readItems(const H5::H5File &file, const char *kind, const std::string &path, Reader reader)
{
    std::vector<Item> items;
    if (!file.nameExists(kind))
        return items;
    H5::Group parent = file.openGroup(kind);
    const int64_t count = readIntAttribute(parent, "count");
    if (count < 0 || uint64_t(count) > parent.getNumObjs())
        throw FormatError(path, "/" + std::string(kind) + ": attribute 'count' says " + std::to_string(count) +
                                    ", but the group holds " + std::to_string(parent.getNumObjs()));
    for (int64_t i = 0; i < count; ++i) {
        if (!parent.nameExists(std::to_string(i)) || parent.childObjType(std::to_string(i)) != H5O_TYPE_GROUP)
            throw FormatError(path, "/" + std::string(kind) + "/" + std::to_string(i) + ": missing");
        items.push_back(reader(parent.openGroup(std::to_string(i))));
    }
    return items;
}

void writeFile(const Workspace &w, const std::string &target)
{
    writeFileAtomically(target, [&](H5::H5File &file) {
        writeStringAttribute(file, "format", Workspace::FormatName);
        writeIntAttribute(file, "format_version", Workspace::FormatVersion);
        writeStringAttribute(file, "created", w.created);
        writeStringAttribute(file, "modified", w.modified);
        writeStringAttribute(file, "zoo_path", w.zoo.path);
        writeStringAttribute(file, "zoo_hash", w.zoo.contentHash);
        writeItems(file, "embeddings", w.embeddings, [](H5::Group &g, const Embeddings &e) { e.writeTo(g); });
        writeItems(file, "maps", w.maps, writeMap);
        writeItems(file, "selections", w.selections, [](H5::Group &g, const WorkspaceSelection &s) {
            writeStringAttribute(g, "name", s.name);
            writeInt64Vector(g, "checkpoints", s.checkpoints);
        });
        writeItems(file, "bookmarks", w.bookmarks, [](H5::Group &g, const WorkspaceBookmark &b) {
            writeStringAttribute(g, "name", b.name);
            writeStringAttribute(g, "state", b.stateJson);
        });
        writeItems(file, "generated", w.generated, writeGenerated);
        writeItems(file, "labels", w.labels, [](H5::Group &g, const WorkspaceLabel &l) {
            writeStringAttribute(g, "name", l.name);
            writeInt64Vector(g, "checkpoints", l.checkpoints);
        });
    });
}

} // namespace

void Workspace::write(const std::string &path)
{
    modified = currentTimeIso();
    if (created.empty())
        created = modified;
    writeFile(*this, path);
}

std::string Workspace::recoveryPath(const std::string &path)
{
    return path + ".recovery";
}

void Workspace::writeRecoveryCopy(const std::string &path) const
{
    writeFile(*this, recoveryPath(path));
}

namespace {

Workspace readWorkspaceFile(const std::string &path);

} // namespace

Workspace Workspace::read(const std::string &path)
{
    tryReadInChildProcess(path, [&] { readWorkspaceFile(path); });
    return readWorkspaceFile(path);
}

namespace {

Workspace readWorkspaceFile(const std::string &path)
{
    return readNamingFile(path, [&] {
        H5::H5File file = openFormatted(path, FileKind::Workspace);
        Workspace w;
        w.created = readStringAttribute(file, "created");
        w.modified = readStringAttribute(file, "modified");
        w.zoo.path = readStringAttribute(file, "zoo_path");
        w.zoo.contentHash = readStringAttribute(file, "zoo_hash");
        w.embeddings = readItems<Embeddings>(file, "embeddings", path, [&](const H5::Group &g) { return Embeddings::readFrom(g, path); });
        w.maps = readItems<WorkspaceMap>(file, "maps", path, [&](const H5::Group &g) { return readMap(g, path); });
        w.selections = readItems<WorkspaceSelection>(file, "selections", path, [&](const H5::Group &g) {
            return WorkspaceSelection{readStringAttribute(g, "name"), readInt64Vector(g, "checkpoints", path)};
        });
        w.bookmarks = readItems<WorkspaceBookmark>(file, "bookmarks", path, [&](const H5::Group &g) {
            return WorkspaceBookmark{readStringAttribute(g, "name"), readStringAttribute(g, "state")};
        });
        w.generated = readItems<WorkspaceGenerated>(file, "generated", path, [&](const H5::Group &g) { return readGenerated(g, path); });
        w.labels = readItems<WorkspaceLabel>(file, "labels", path, [&](const H5::Group &g) {
            return WorkspaceLabel{readStringAttribute(g, "name"), readInt64Vector(g, "checkpoints", path)};
        });
        return w;
    });
}

} // namespace

namespace {

void requireCheckpoints(const std::vector<int64_t> &checkpoints, int64_t count, const std::string &item,
                        const std::string &path, bool filesAllowed = false)
{
    for (int64_t checkpoint : checkpoints)
        if (checkpoint >= count || (checkpoint < 0 && !(filesAllowed && checkpoint == -1)))
            throw FormatError(path, item + ": checkpoint " + std::to_string(checkpoint) + " is not one of the zoo's " +
                                        std::to_string(count) + " checkpoints (a workspace of another zoo?)");
}

} // namespace

void Workspace::requireFits(const Zoo &zoo, const std::string &path) const
{
    const int64_t count = zoo.checkpointCount();
    for (size_t i = 0; i < maps.size(); ++i)
        requireCheckpoints(maps[i].checkpoints, count, "/maps/" + std::to_string(i) + " (" + maps[i].name + ")", path);
    for (size_t i = 0; i < selections.size(); ++i)
        requireCheckpoints(selections[i].checkpoints, count,
                           "/selections/" + std::to_string(i) + " (" + selections[i].name + ")", path);
    for (size_t i = 0; i < labels.size(); ++i)
        requireCheckpoints(labels[i].checkpoints, count, "/labels/" + std::to_string(i) + " (" + labels[i].name + ")", path);
    for (size_t i = 0; i < embeddings.size(); ++i)
        if (const Column *rows = embeddings[i].rows.find("checkpoint"); rows && !rows->isText()) {
            std::vector<int64_t> checkpoints;
            for (double value : rows->numbers())
                checkpoints.push_back(std::isfinite(value) && std::fabs(value) < 9e15 ? int64_t(value) : -2);
            requireCheckpoints(checkpoints, count, "/embeddings/" + std::to_string(i) + "/rows/checkpoint", path, true);
        }
}

const Embeddings *Workspace::embeddingsOf(const std::string &encoderId) const
{
    for (const Embeddings &e : embeddings)
        if (e.encoderId == encoderId)
            return &e;
    return nullptr;
}

void Workspace::putEmbeddings(Embeddings e)
{
    for (Embeddings &existing : embeddings)
        if (existing.encoderId == e.encoderId) {
            existing = std::move(e);
            return;
        }
    embeddings.push_back(std::move(e));
}

void Workspace::putMap(WorkspaceMap m)
{
    for (WorkspaceMap &existing : maps)
        if (existing.name == m.name) {
            existing = std::move(m);
            return;
        }
    maps.push_back(std::move(m));
}

const WorkspaceMap *Workspace::map(const std::string &name) const
{
    for (const WorkspaceMap &m : maps)
        if (m.name == name)
            return &m;
    return nullptr;
}

std::string Workspace::describe() const
{
    std::ostringstream out;
    const char *status[] = {"found", "MISSING (open the workspace to locate it)", "CHANGED since the workspace was made"};
    out << "zoo: " << zoo.path << " (" << zoo.contentHash << ", " << status[int(zoo.check())] << ")\n";
    out << "created " << created << ", modified " << modified << "\n";
    out << "embeddings: " << embeddings.size() << "\n";
    for (const Embeddings &e : embeddings)
        out << "  encoder " << e.encoderId << ": " << e.count() << " checkpoints x " << e.dims << " (" << e.mode << ", "
            << e.encoderPath << ")\n";
    out << "maps: " << maps.size() << "\n";
    for (const WorkspaceMap &m : maps) {
        out << "  " << m.name << ": " << m.projection.settings.describe() << " of " << m.input << ", " << m.projection.points
            << " points";
        if (m.projection.quality.queries > 0)
            out << "; " << m.projection.quality.describe();
        for (const std::string &note : m.projection.notes)
            out << "; " << note;
        out << "\n";
    }
    out << "selections: " << selections.size() << "\n";
    for (const WorkspaceSelection &s : selections)
        out << "  " << s.name << ": " << s.checkpoints.size() << " checkpoints\n";
    out << "bookmarks: " << bookmarks.size() << "\n";
    for (const WorkspaceBookmark &b : bookmarks)
        out << "  " << b.name << "\n";
    out << "labels: " << labels.size() << "\n";
    for (const WorkspaceLabel &l : labels)
        out << "  " << l.name << ": " << l.checkpoints.size() << " checkpoints\n";
    out << "generated: " << generated.size() << "\n";
    for (const WorkspaceGenerated &g : generated)
        out << "  " << g.name << ": " << g.evaluations.rowCount() << " " << g.kind << " networks in " << g.zooPath << "\n";
    return out.str();
}

} // namespace wse
