#include "sane/zooembedding.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "jobs/progress.h"
#include "sane/saneimport.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <future>
#include <memory>
#include <map>
#include <numeric>

namespace wse {

namespace {

// model id -> split name from the encoder's provenance.
std::map<std::string, std::string> splitTable(const SaneEncoder &encoder)
{
    std::map<std::string, std::string> table;
    try {
        const nlohmann::json provenance = nlohmann::json::parse(encoder.provenance);
        if (provenance.contains("split"))
            for (const auto &[name, ids] : provenance["split"].items())
                for (const auto &id : ids)
                    table[id.get<std::string>()] = name;
    } catch (const nlohmann::json::exception &) {
    }
    return table;
}

// The zoo architecture this encoder reads: its reference layout, or the only one there is.
int pickArchitecture(const Zoo &zoo, const SaneEncoder &encoder, const std::string &zooPath)
{
    for (size_t a = 0; a < zoo.architectures.size(); ++a)
        if (encoder.architecture.tensors.empty() ? zoo.architectures.size() == 1
                                                 : layoutDifference(encoder.architecture, zoo.architectures[a]).empty())
            return int(a);
    throw UsageError(zooPath + ": no architecture of this zoo has the layout the encoder was trained on" +
                     (encoder.architecture.tensors.empty() ? std::string(" (the encoder names none; import it with --reference)")
                                                           : " (" + encoder.architecture.name + ")"));
}

} // namespace

std::string splitOfModel(const SaneEncoder &encoder, const std::string &modelId)
{
    const auto table = splitTable(encoder);
    const auto it = table.find(modelId);
    return it == table.end() ? std::string() : it->second;
}

Embeddings embedZoo(const std::string &encoderPath, const std::string &zooPath, const EmbedOptions &options,
                    ProgressReporter *progress, std::vector<std::string> *notes, const Shard &shard)
{
    const SaneEncoder encoder = openEncoder(encoderPath);
    // The encoder's id hashes every weight byte (about a second for the official sizes): on
    // another thread while the checkpoints are embedded.
    std::future<std::string> encoderId = std::async(std::launch::async, [&encoder] { return encoder.id(); });
    const Zoo zoo = ZooStore::read(zooPath, /*withWeights=*/false);
    const int architecture = pickArchitecture(zoo, encoder, zooPath);
    const Architecture &arch = zoo.architectures[size_t(architecture)];
    SaneEmbedder embedder(encoder, arch, options);

    // Checkpoints of that architecture, in weight-row order (contiguous reads).
    const Column &weightRows = zoo.checkpoints.get(zoocol::WeightRow);
    std::vector<int64_t> checkpoints;
    int64_t skipped = 0;
    for (int64_t c = 0; c < zoo.checkpointCount(); ++c)
        (zoo.checkpointArchitecture(c) == architecture ? checkpoints.push_back(c) : void(++skipped));
    std::sort(checkpoints.begin(), checkpoints.end(),
              [&](int64_t a, int64_t b) { return weightRows.number(a) < weightRows.number(b); });
    if (skipped && notes)
        notes->push_back("skipped " + std::to_string(skipped) + " checkpoints of other architectures");

    Embeddings result;
    result.encoderPath = encoderPath;
    result.source = zooPath;
    result.mode = options.mode;
    result.dims = embedder.latentSize();
    result.values.assign(checkpoints.size() * size_t(result.dims), 0.0f); // other shards' rows stay zero
    const auto splits = splitTable(encoder);
    for (const int64_t c : checkpoints) {
        const std::string modelId = zoo.checkpointValue(c, zoocol::ModelId);
        const auto split = splits.find(modelId);
        result.rows.appendRow({{"checkpoint", c}, {zoocol::ModelId, modelId},
                               {zoocol::Epoch, zoo.checkpoints.get(zoocol::Epoch).number(c)},
                               {"split", split == splits.end() ? std::string() : split->second}});
    }
    // This shard's checkpoints: a contiguous block (contiguous reads).
    const size_t begin = checkpoints.size() * size_t(shard.index) / size_t(shard.count);
    const size_t end = checkpoints.size() * size_t(shard.index + 1) / size_t(shard.count);
    ZooWeightReader reader(zooPath, arch.name);
    const int64_t rowSize = arch.numel();
    const int64_t batch = std::max<int64_t>(1, embedder.batchTokens() / embedder.layout().length());
    std::vector<float> rows;
    int64_t nonFinite = 0;
    for (size_t first = begin; first < end; first += size_t(batch)) {
        const size_t count = std::min(end - first, size_t(batch));
        rows.resize(count * size_t(rowSize));
        std::vector<int64_t> weightRowsOfBatch(count);
        for (size_t i = 0; i < count; ++i)
            weightRowsOfBatch[i] = int64_t(weightRows.number(checkpoints[first + i]));
        reader.readRows(weightRowsOfBatch, rows.data());
        const std::vector<float> z = embedder.embed(rows.data(), int64_t(count));
        nonFinite += std::count_if(z.begin(), z.end(), [](float v) { return !std::isfinite(v); });
        std::copy(z.begin(), z.end(), result.values.begin() + long(first * size_t(result.dims)));
        const size_t done = first + count - begin;
        if (progress)
            progress->report(double(done) / double(std::max<size_t>(1, end - begin)), "embedding",
                             std::to_string(done) + "/" + std::to_string(end - begin) + " checkpoints");
    }
    if (nonFinite && notes)
        notes->push_back(std::to_string(nonFinite) + " embedding values are not finite (diverged checkpoints)");
    result.encoderId = encoderId.get();
    return result;
}

Embeddings embedCheckpointFiles(const std::string &encoderPath, const std::vector<std::string> &files,
                                const EmbedOptions &options)
{
    const SaneEncoder encoder = openEncoder(encoderPath);
    if (files.empty())
        throw UsageError("no checkpoint files to embed");
    std::vector<float> rows;
    std::unique_ptr<SaneEmbedder> embedder;
    Architecture firstArchitecture;
    Embeddings result;
    for (const std::string &file : files) {
        const StateDict sd = readCheckpoint(file);
        // Float tensors only, in order: integer buffers (num_batches_tracked) are not weights.
        StateDict weights;
        for (const auto &entry : sd.entries)
            if (dtypeIsFloating(entry.second.dtype))
                weights.entries.push_back(entry);
        const Architecture arch = architectureOf(weights, file);
        if (!embedder) {
            embedder = std::make_unique<SaneEmbedder>(encoder, arch, options);
            firstArchitecture = arch;
        } else if (const std::string difference = layoutDifference(firstArchitecture, arch); !difference.empty()) {
            throw UsageError(file + ": not the layout of " + files.front() + ": " + difference);
        }
        for (const auto &entry : weights.entries) {
            const std::vector<float> values = entry.second.toFloat();
            rows.insert(rows.end(), values.begin(), values.end());
        }
        result.rows.appendRow({{"checkpoint", int64_t(-1)}, {zoocol::ModelId, file}, {zoocol::Epoch, 0.0}, {"split", ""}});
    }
    result.encoderId = encoder.id();
    result.encoderPath = encoderPath;
    result.source = "checkpoints";
    result.mode = options.mode;
    result.dims = embedder->latentSize();
    result.values = embedder->embed(rows.data(), int64_t(files.size()));
    return result;
}

} // namespace wse
