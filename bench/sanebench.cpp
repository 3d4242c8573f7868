// wse-bench-sane: SANE embedding of a whole zoo, end to end from the zoo file (read, standardise,
// tokenise, encode, mean), against a straightforward python3-torch implementation of the same
// pipeline (the official per-checkpoint tokenize_checkpoint + the official module) in one run.
#include "benchencoder.h"
#include "benchutil.h"

#include "sane/encoderfile.h"
#include "sane/zooembedding.h"
#include "torchutil/device.h"
#include "zoo/architecture.h"
#include "zoo/zoostore.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>

using namespace wse;

namespace {

// A zoo of Gaussian CNN-s checkpoints (the pipeline's cost does not depend on the values).
void writeRandomZoo(const std::string &path, int models, int epochs)
{
    Zoo zoo;
    zoo.name = "benchmark";
    zoo.addArchitecture(cnnSmall());
    zoo.weights.resize(1);
    zoo.weights[0].cols = zoo.architectures[0].numel();
    std::mt19937 random(1);
    std::normal_distribution<float> gaussian(0.0f, 0.1f);
    std::vector<float> row(static_cast<size_t>(zoo.weights[0].cols));
    for (int m = 0; m < models; ++m) {
        zoo.models.appendRow({{zoocol::ModelId, "m" + std::to_string(m)}, {zoocol::Architecture, "cnn-s"}});
        for (int e = 0; e < epochs; ++e) {
            for (float &v : row)
                v = gaussian(random);
            zoo.checkpoints.appendRow({{zoocol::Model, m}, {zoocol::Epoch, e}, {zoocol::WeightRow, zoo.weights[0].rows},
                                       {"test_acc", 0.5}});
            zoo.weights[0].appendRow(row.data());
        }
    }
    ZooStore::write(zoo, path);
}

const char *PythonPipeline = R"(
import h5py, json, math, sys, time, torch
sys.path.insert(0, sys.argv[1])
from sane_reference import SANE
zoo_path, encoder_path, reps, batch = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
device, precision = sys.argv[6], sys.argv[7]

def load():  # timed with the rest, as `wse embed` reads its encoder file
    global cfg, norm, arch, model, d_t
    enc = torch.load(encoder_path)
    cfg, norm = json.loads(enc["config"]), json.loads(enc["normalization"])
    arch = json.loads(enc["architecture"])["tensors"]
    model = SANE(cfg["token_size"], cfg["d_model"], cfg["heads"], cfg["layers"], cfg["latent"], cfg["max_positions"], cfg["window_size"])
    model.load_state_dict(enc["model"]); model.eval(); model.to(device)
    d_t = cfg["token_size"]

def embed(tokens, positions):
    with torch.no_grad(), torch.autocast(device.split(":")[0], torch.bfloat16, enabled=precision == "bf16"):
        return model.forward_embeddings(torch.stack(tokens).to(device), torch.stack(positions).to(device)).float().cpu()

def tokenize(sd):  # the official tokenize_checkpoint (ignore_bn, explicit token size)
    toks, pos, l = [], [], 0
    for k, w in sd.items():
        if "bn" in k or "downsample.1" in k or "batchnorm" in k: continue
        if not ("weight" in k or "running_mean" in k or "running_var" in k): continue
        t = w.view(w.shape[0], -1)
        if "weight" in k and k.replace("weight", "bias") in sd:
            t = torch.cat([t, sd[k.replace("weight", "bias")].view(-1, 1)], dim=1)
        rows, cols = t.shape
        f = math.ceil(cols / d_t)
        tp = torch.zeros(rows, f * d_t); tp[:, :cols] = t
        toks.append(tp.view(rows * f, d_t)); pos += [[l, r] for r in range(rows) for _ in range(f)]
        l += 1
    return torch.cat(toks), torch.tensor([[n, l, r] for n, (l, r) in enumerate(pos)])

def run():
    load()
    f = h5py.File(zoo_path, "r")
    weights = torch.from_numpy(f["architectures/cnn-s/weights"][:])
    out = []
    sizes = [math.prod(t["shape"]) for t in arch]
    batch_tokens, batch_pos = [], []
    for row in weights:
        sd = {t["key"]: p.view(t["shape"]).clone() for t, p in zip(arch, torch.split(row, sizes))}
        for k, s in norm.items():
            if k == "mode": continue
            sd[k] = (sd[k] - s["mean"]) / s["std"]
            b = k.replace("weight", "bias")
            if b in sd and b != k: sd[b] = (sd[b] - s["mean"]) / s["std"]
        t, p = tokenize(sd)
        batch_tokens.append(t); batch_pos.append(p)
        if len(batch_tokens) == batch:
            out.append(embed(batch_tokens, batch_pos))
            batch_tokens, batch_pos = [], []
    if batch_tokens:
        out.append(embed(batch_tokens, batch_pos))
    return torch.cat(out)

run()
times = []
for r in range(reps):
    t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
print(' '.join(str(x) for x in times))
)";

} // namespace

int main(int argc, char **argv)
{
    const int models = argc > 1 ? std::atoi(argv[1]) : 250;
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 8;
    const int repetitions = argc > 3 ? std::atoi(argv[3]) : 3;
    const std::string presets = argc > 4 ? argv[4] : "small,official-cnn";
    useAllCores(); // as every embedding does (the header reports the threads)
    const std::string device = resolveDevice(argc > 5 ? argv[5] : "cpu");
    const std::string precisions = argc > 6 ? argv[6] : "fp32";
    // WSE_BENCH_NO_PYTHON=1: time ours alone (a zoo too large for the per-checkpoint Python loop).
    const bool withPython = !std::getenv("WSE_BENCH_NO_PYTHON");
    // A folder of this run's own, emptied file by file at the end (remove_all of a folder left by an
    // earlier run crashed once on the GPU machine).
    const std::filesystem::path work = std::filesystem::temp_directory_path() / ("wse-bench-sane-" + std::to_string(getpid()));
    std::filesystem::create_directories(work);
    const std::string zoo = (work / "zoo.h5").string();
    writeRandomZoo(zoo, models, epochs);
    const int checkpoints = models * epochs;
    std::printf("# wse-bench-sane: %d CNN-s checkpoints embedded end to end from the encoder and zoo files, %d repetitions, %s\n",
                checkpoints, repetitions, describeDevice(device).c_str());
    if (withPython) // its own default threads: what a plain script gets on this machine
        std::printf("# python3-torch: %s intra-op threads (its default)\n",
                    bench::runPython("import torch; print(torch.get_num_threads(), end='')", {}).c_str());
    std::printf("\n");
    std::printf("| encoder | parameters | precision | wse (s) | checkpoints/s | python3-torch (s) | speed-up | max rel. diff. to fp32 |\n"
                "|---|---|---|---|---|---|---|---|\n");
    for (const char *preset : {"small", "official-cnn"}) {
        if (presets.find(preset) == std::string::npos)
            continue;
        const std::string encoder = (work / (std::string(preset) + ".pt")).string();
        const SaneConfig config = SaneConfig::preset(preset);
        bench::writeRandomEncoder(encoder, config);
        std::vector<float> reference; // the fp32 embeddings, to say how far bf16 moves them
        for (const char *precision : {"fp32", "bf16"}) {
            if (precisions.find(precision) == std::string::npos)
                continue;
            EmbedOptions options;
            options.device = device;
            options.precision = precision;
            Embeddings embeddings;
            const bench::Timing ours =
                bench::measure([&] { embeddings = embedZoo(encoder, zoo, options, nullptr); }, repetitions);
            if (reference.empty())
                reference = embeddings.values;
            double difference = 0.0, scale = 0.0;
            for (size_t i = 0; i < reference.size() && i < embeddings.values.size(); ++i) {
                difference = std::max(difference, double(std::fabs(embeddings.values[i] - reference[i])));
                scale = std::max(scale, double(std::fabs(reference[i])));
            }
            const int64_t batch = defaultBatchTokens(device) / 48; // CNN-s: 48 tokens per checkpoint
            bench::Timing python;
            if (withPython)
                python = bench::fromText(bench::runPython(
                    PythonPipeline, {std::string(WSE_SOURCE_DIR) + "/tests/data", zoo, encoder, std::to_string(repetitions),
                                     std::to_string(batch), device, precision}));
            std::printf("| %s | %lld | %s | %s | %.0f | %s | %s | %.2g |\n", preset,
                        static_cast<long long>(SaneEncoder::read(encoder).weights.numel()), precision,
                        bench::format(ours).c_str(), checkpoints / ours.mean,
                        withPython ? bench::format(python).c_str() : "-",
                        withPython ? (std::to_string(python.mean / ours.mean).substr(0, 4) + "x").c_str() : "-",
                        scale > 0 ? difference / scale : 0.0);
            std::fflush(stdout);
        }
    }
    std::printf("\n");
    bench::printFooter();
    for (const char *file : {"zoo.h5", "small.pt", "official-cnn.pt"})
        std::remove((work / file).c_str());
    std::remove(work.c_str());
    return 0;
}
