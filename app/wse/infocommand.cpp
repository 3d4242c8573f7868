#include "infocommand.h"

#include "checkpointcommands.h"
#include "zoocommands.h"

#include "common/error.h"
#include "formats/fileformat.h"
#include "sane/embeddings.h"
#include "sane/encoderfile.h"
#include "sane/sanetrainer.h"
#include "workspace/workspace.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace wse {

namespace {

namespace fs = std::filesystem;

void printEmbeddings(const std::string &path)
{
    const Embeddings embeddings = Embeddings::read(path);
    std::cout << path << ": " << embeddings.count() << " embeddings of " << embeddings.dims << " dimensions\n"
              << "  encoder " << embeddings.encoderId << " (" << embeddings.encoderPath << "), " << embeddings.mode
              << " mode\n  source " << embeddings.source << "\n";
}

void printEncoder(const std::string &path)
{
    const SaneEncoder encoder = SaneEncoder::read(path);
    std::cout << path << ": SANE encoder " << encoder.id() << "\n  trained on architecture '"
              << encoder.architecture.name << "' (" << encoder.architecture.numel() << " parameters)\n"
              << "  configuration " << encoder.config.toJson() << "\n  provenance " << encoder.provenance << "\n";
}

void printSaneRun(const std::string &path)
{
    const std::vector<SaneEpochLog> log = readSaneLog(path);
    std::cout << path << ": SANE training folder, " << log.size() << " epochs logged";
    if (!log.empty())
        std::cout << " (last: epoch " << log.back().epoch << ", loss " << log.back().loss << ", validation loss "
                  << log.back().valLoss << ")";
    std::cout << "\n  encoder: " << (fs::exists(fs::path(path) / "encoder.pt") ? "encoder.pt" : "none yet") << "\n";
}

void printOfficialZoo(const std::string &path)
{
    size_t models = fs::is_regular_file(fs::path(path) / "params.json") ? 1 : 0;
    std::error_code error;
    for (fs::directory_iterator entry(path, error), end; !error && entry != end; entry.increment(error))
        if (fs::is_regular_file(entry->path() / "params.json"))
            ++models;
    std::cout << path << ": official Model Zoos folder, " << models << " model folders (import it with: wse zoo import "
              << path << " -o ZOO.h5)\n";
}

void printSummary(const std::string &path, FileKind kind, bool asJson)
{
    switch (kind) {
    case FileKind::Zoo: printZooSummary(path, asJson); break;
    case FileKind::Workspace: std::cout << Workspace::read(path).describe(); break;
    case FileKind::Embeddings: printEmbeddings(path); break;
    case FileKind::Encoder: printEncoder(path); break;
    case FileKind::SaneRun: printSaneRun(path); break;
    case FileKind::OfficialZoo: printOfficialZoo(path); break;
    case FileKind::Checkpoint: printCheckpointSummary(path, asJson); break;
    case FileKind::Unknown: break;
    }
}

} // namespace

void addInfoCommand(CLI::App &app)
{
    auto path = std::make_shared<std::string>();
    auto kindId = std::make_shared<std::string>();
    auto asJson = std::make_shared<bool>(false);
    CLI::App *info = app.add_subcommand("info", "What a file or folder is (zoo, workspace, embeddings, SANE encoder, "
                                                "SANE training folder, official zoo folder, PyTorch checkpoint), by its "
                                                "content, and its summary");
    info->add_option("file", *path, "File or folder")->required();
    std::vector<std::string> ids;
    for (const FileFormat &format : fileFormats())
        ids.push_back(format.id);
    info->add_option("--kind", *kindId, "Refuse the file unless it is of this kind")->check(CLI::IsMember(ids));
    info->add_flag("--json", *asJson, "Print JSON (zoos and checkpoints)");
    info->callback([path, kindId, asJson] {
        std::vector<FileKind> accepted;
        for (const FileFormat &format : fileFormats())
            if (kindId->empty() || format.id == *kindId)
                accepted.push_back(format.kind);
        const FileKind kind = requireFileKind(*path, accepted);
        if (!*asJson)
            std::cout << *path << ": " << withArticle(fileFormat(kind).name) << "\n";
        printSummary(*path, kind, *asJson);
    });
}

} // namespace wse
