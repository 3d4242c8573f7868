// libFuzzer targets for the three HDF5 readers (built once per format: WSE_FUZZ_FORMAT 0 zoo,
// 1 workspace, 2 embeddings). Each input is a program of edits (hdf5mutator.h) applied to a valid
// file of ours written by our own writers; then the reader reads it and what it returns is used as
// the explorer and the CLI use it. Any input must end in a value or a wse::Error: a crash, a
// sanitizer report, or any other exception escaping (a raw library text reaching the user) aborts.
#include "hdf5mutator.h"

#include "common/error.h"
#include "sane/embeddings.h"
#include "workspace/workspace.h"
#include "zoo/zoo.h"
#include "zoo/zoostore.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#ifndef WSE_FUZZ_FORMAT
#define WSE_FUZZ_FORMAT 0
#endif

namespace {

using namespace wse;

std::string scratchFolder()
{
    return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

const std::string seedZooPath = scratchFolder() + "/wse-fuzz-seed-zoo-" + std::to_string(getpid()) + ".h5";
const std::string seedPath = scratchFolder() + "/wse-fuzz-seed-" + std::to_string(getpid()) + ".h5";
const std::string inputPath = scratchFolder() + "/wse-fuzz-input-" + std::to_string(getpid()) + ".h5";
std::vector<char> seedBytes;

Zoo seedZoo()
{
    Zoo zoo;
    zoo.name = "fuzz";
    zoo.provenance = R"({"command":"fuzz"})";
    zoo.architectures = {{"cnn-s", "small", {{"w", {3, 2}}, {"b", {3}}}}, {"mlp", "tiny", {{"w", {2}}}}};
    zoo.weights.resize(2);
    zoo.weights[0] = {4, 9, std::vector<float>(36, 0.25f)};
    zoo.weights[1] = {1, 2, {1.0f, -1.0f}};
    for (int model = 0; model < 3; ++model)
        zoo.models.appendRow({{zoocol::ModelId, "m" + std::to_string(model)},
                              {zoocol::Architecture, model < 2 ? "cnn-s" : "mlp"},
                              {"activation", model == 0 ? "relu" : "tanh"},
                              {"seed", model}});
    const int checkpointModel[] = {0, 0, 1, 1, 2};
    const int checkpointRow[] = {0, 1, 2, 3, 0};
    for (int i = 0; i < 5; ++i)
        zoo.checkpoints.appendRow({{zoocol::Model, checkpointModel[i]}, {zoocol::Epoch, i % 2 + 1},
                                   {zoocol::WeightRow, checkpointRow[i]}, {"test_acc", 0.1 * i}});
    zoo.curves.appendRow({{zoocol::Model, 0}, {zoocol::Epoch, 1}, {"loss", 2.3}});
    zoo.attachments["training_state"] = {1, 2, 3};
    return zoo;
}

Embeddings seedEmbeddings()
{
    Embeddings embeddings;
    embeddings.encoderId = "sane-fuzz";
    embeddings.encoderPath = "/encoders/fuzz.pt";
    embeddings.source = seedZooPath;
    embeddings.mode = "full";
    embeddings.dims = 2;
    for (int i = 0; i < 4; ++i)
        embeddings.rows.appendRow({{"checkpoint", i}, {"model_id", "m" + std::to_string(i / 2)}, {"epoch", i % 2 + 1},
                                   {"split", i == 3 ? "test" : "train"}});
    embeddings.values = {0.f, 1.f, 1.f, 0.f, 0.5f, 0.5f, -1.f, 2.f};
    return embeddings;
}

Workspace seedWorkspace()
{
    Workspace workspace = Workspace::forZoo(seedZooPath);
    workspace.putEmbeddings(seedEmbeddings());
    WorkspaceMap map;
    map.name = "pca";
    map.input = "sane:sane-fuzz";
    map.checkpoints = {0, 1, 2, 3};
    map.projection.points = 4;
    map.projection.inputDims = 2;
    map.projection.coordinates.assign(12, 0.5f);
    map.projection.explainedRatio = {0.7, 0.3, 0.0};
    map.projection.pcaMean = {0.1, 0.2};
    map.projection.pcaAxes = {1, 0, 0, 1, 0, 0};
    map.created = "2026-01-01T00:00:00Z";
    workspace.putMap(map);
    workspace.selections.push_back({"picked", {0, 2}});
    workspace.labels.push_back({"good", {1, 3}});
    workspace.bookmarks.push_back({"view", R"({"filter":"epoch > 1 && activation == \"relu\"","colour":"test_acc"})"});
    WorkspaceGenerated generated;
    generated.name = "sampled-1";
    generated.kind = "sampled";
    generated.zooPath = "/zoos/sampled.h5";
    generated.provenanceJson = R"({"seed":1})";
    generated.evaluations.appendRow({{"model_id", "s0"}, {"test_acc", 0.5}});
    generated.evaluations.appendRow({{"model_id", "s1"}, {"test_acc", 0.6}});
    generated.encoderId = "sane-fuzz";
    generated.latentDims = 2;
    generated.latents = {0.f, 1.f, 2.f, 3.f};
    workspace.generated.push_back(generated);
    return workspace;
}

// Reads the file and uses the result as the explorer and the CLI do.
void readAndUse(const std::string &path)
{
#if WSE_FUZZ_FORMAT == 0
    const Zoo zoo = ZooStore::read(path);
    for (int64_t checkpoint = 0; checkpoint < zoo.checkpointCount(); ++checkpoint) {
        zoo.checkpointName(checkpoint);
        zoo.checkpointArchitecture(checkpoint);
    }
    for (const std::string &column : zoo.checkpointColumnNames())
        zoo.checkpointColumn(column);
    const Zoo lazy = ZooStore::read(path, false);
    for (size_t a = 0; a < lazy.architectures.size(); ++a) {
        const WeightMatrix rows = ZooStore::readWeights(path, lazy.architectures[a].name, 0, std::min<int64_t>(2, lazy.weights[a].rows));
        ZooWeightReader reader(path, lazy.architectures[a].name);
        std::vector<float> row(size_t(reader.cols()));
        if (reader.rows() > 0)
            reader.read(reader.rows() - 1, 1, row.data());
    }
#elif WSE_FUZZ_FORMAT == 1
    const Workspace workspace = Workspace::read(path);
    workspace.describe();
    for (const WorkspaceMap &map : workspace.maps)
        workspace.embeddingsOf(map.input.substr(map.input.find(':') + 1));
#else
    const Embeddings embeddings = Embeddings::read(path);
    for (int64_t i = 0; i < embeddings.count(); ++i)
        embeddings.rows.columns().front().displayValue(i);
#endif
}

void writeSeed()
{
    ZooStore::write(seedZoo(), seedZooPath);
#if WSE_FUZZ_FORMAT == 0
    ZooStore::write(seedZoo(), seedPath);
#elif WSE_FUZZ_FORMAT == 1
    seedWorkspace().write(seedPath);
#else
    seedEmbeddings().write(seedPath);
#endif
    std::ifstream in(seedPath, std::ios::binary);
    seedBytes.assign(std::istreambuf_iterator<char>(in), {});
}

void removeScratchFiles()
{
    std::remove(seedZooPath.c_str());
    std::remove(seedPath.c_str());
    std::remove(inputPath.c_str());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    H5::Exception::dontPrint();
    writeSeed();
    std::atexit(removeScratchFiles);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::ofstream(inputPath, std::ios::binary | std::ios::trunc).write(seedBytes.data(), std::streamsize(seedBytes.size()));
    const int edits = wse::fuzz::mutateHdf5File(inputPath, data, size);
    try {
        readAndUse(inputPath);
    } catch (const wse::Error &error) {
        if (edits == 0) {
            std::fprintf(stderr, "the unmodified seed file was refused: %s\n", error.what());
            std::abort();
        }
    } catch (const std::exception &error) {
        std::fprintf(stderr, "a raw exception escaped the reader: %s\n", error.what());
        std::abort();
    } catch (const H5::Exception &error) {
        std::fprintf(stderr, "an HDF5 exception escaped the reader: %s\n", error.getDetailMsg().c_str());
        std::abort();
    }
    return 0;
}
