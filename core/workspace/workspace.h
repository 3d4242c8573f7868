#pragma once
// A workspace: everything a user made from one zoo, in one versioned HDF5 file (schema:
// docs/workspace-format.md). The zoo itself is referenced by path and content hash, never copied.
#include "analysis/projection.h"
#include "sane/embeddings.h"
#include "zoo/table.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wse {

class Zoo;

// A map of the zoo: one projection of one point set (SANE embeddings of an encoder, or the
// weights) with its parameters, seed, quality and the zoo checkpoint of each point.
struct WorkspaceMap
{
    std::string name;
    std::string input;                // "sane:<encoder id>", "weights", "weight-statistics"
    std::vector<int64_t> checkpoints; // zoo checkpoint index of each map point
    Projection projection;
    std::string created;              // ISO 8601 UTC
};

struct WorkspaceSelection
{
    std::string name;
    std::vector<int64_t> checkpoints;
};

// A user's label ("good cluster", "diverged") and the checkpoints that carry it; a checkpoint
// carries at most one label (core/workspace/checkpointlabels.h).
struct WorkspaceLabel
{
    std::string name;
    std::vector<int64_t> checkpoints;
};

// A saved view: camera, colouring, selection and filter, as the explorer's JSON state.
struct WorkspaceBookmark
{
    std::string name;
    std::string stateJson;
};

// Decoded or sampled networks: the zoo file they were written to, how they were made, their
// evaluation, and their latent vectors (so they can be placed into any map of the same encoder).
struct WorkspaceGenerated
{
    std::string name;
    std::string kind;           // "decoded" or "sampled"
    std::string zooPath;
    std::string provenanceJson; // command, encoder, anchors, seed, ...
    Table evaluations;          // one row per network
    std::string encoderId;
    int64_t latentDims = 0;
    std::vector<float> latents; // rows x latentDims (may be empty)
};

struct ZooReference
{
    std::string path;
    std::string contentHash; // "fnv1a64:<16 hex digits>" of the file's bytes

    enum class Status { Found, Missing, Changed };
    Status check() const;    // Missing: the file is gone (ask for it); Changed: other content

    // Where the zoo is now: `path` when the file there has the recorded content, else the first zoo
    // file with that content in `folders` (and their sub-folders, one level down). Only zoo files
    // (by their format attribute) are hashed. Empty when it is nowhere there.
    std::string locate(const std::vector<std::string> &folders) const;
};

// FNV-1a 64 of a file's bytes. Throws IoError naming the file.
std::string fileContentHash(const std::string &path);

struct Workspace
{
    static constexpr int FormatVersion = 1;
    static constexpr const char *FormatName = "weight-space-explorer workspace";

    ZooReference zoo;
    std::string created, modified;
    std::vector<Embeddings> embeddings; // one per encoder
    std::vector<WorkspaceMap> maps;
    std::vector<WorkspaceSelection> selections;
    std::vector<WorkspaceBookmark> bookmarks;
    std::vector<WorkspaceGenerated> generated;
    std::vector<WorkspaceLabel> labels;

    // True for an HDF5 file whose format attribute says workspace (any version).
    static bool isWorkspaceFile(const std::string &path);
    // Creates a workspace for a zoo file (hashes it).
    static Workspace forZoo(const std::string &zooPath);

    // Atomic: a temporary file renamed into place. Sets `modified`.
    void write(const std::string &path);
    // Throws IoError / FormatError naming the file; a file from a newer schema says so.
    static Workspace read(const std::string &path);

    // The autosave beside a workspace ("<path>.recovery"), written atomically like the workspace.
    static std::string recoveryPath(const std::string &path);
    void writeRecoveryCopy(const std::string &path) const;

    const Embeddings *embeddingsOf(const std::string &encoderId) const;
    // Adds or replaces (by encoder id / by name).
    void putEmbeddings(Embeddings e);
    void putMap(WorkspaceMap map);
    const WorkspaceMap *map(const std::string &name) const;

    std::string describe() const; // what `wse workspace info` prints

    // Checks that every checkpoint index the workspace holds (maps, selections, labels, embedding
    // rows) is a checkpoint of `zoo`, which the workspace file alone cannot know. Throws FormatError
    // naming `path` and the item: "/selections/0 (picked): checkpoint 40 beyond the zoo's 12".
    void requireFits(const Zoo &zoo, const std::string &path) const;
};


} // namespace wse
