// wse-bench-scale: a zoo of a million CNN-s checkpoints end to end, as a user runs it: the zoo is
// written (streamed from a generator), embedded with `wse embed`, laid out with `wse project` (PCA,
// UMAP) and opened in the explorer (a screenshot). Each step runs in a process of its own, so its
// wall time and peak memory (the kernel's maxrss for that process) are its own; bounded memory
// means a peak far below the zoo's weights, which the last column gives as the baseline.
//
// Usage: wse-bench-scale [CHECKPOINTS=1000000] [STEPS=write,embed,pca,umap,explorer] [PRECISION=fp32] [WORKDIR]
// The explorer step needs a display (run the benchmark under xvfb-run). With WORKDIR the files stay
// there, and steps given later reuse them (e.g. STEPS=umap after a run that wrote and embedded).
#include "benchencoder.h"
#include "benchutil.h"

#include "zoo/architecture.h"
#include "zoo/zoostore.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace wse;
namespace fs = std::filesystem;

namespace {

constexpr int EpochsPerModel = 50; // states 0..49 of each model, as an official zoo keeps ~50

// A uniform number in [-1, 1) from a hash of (a, b): any row of any model without stored state.
float noise(uint64_t a, uint64_t b)
{
    uint64_t z = a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E5Bull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return float(z >> 40) / float(1 << 23) - 1.0f;
}

const char *const Inits[] = {"kaiming_uniform", "normal", "uniform"};
const char *const Activations[] = {"relu", "tanh", "gelu"};

// Models differ by initialisation (the clusters) and seed; along training each drifts its own way.
void fillRows(int64_t firstRow, int64_t count, int64_t cols, float *out)
{
    for (int64_t r = 0; r < count; ++r) {
        const int64_t row = firstRow + r;
        const uint64_t model = uint64_t(row / EpochsPerModel);
        const float progress = float(row % EpochsPerModel) / EpochsPerModel;
        const uint64_t init = model % 3;
        for (int64_t j = 0; j < cols; ++j)
            out[r * cols + j] = 0.1f * noise(init, uint64_t(j)) + 0.05f * noise(model + 3, uint64_t(j)) +
                                0.03f * progress * noise(model + 1000003, uint64_t(j));
    }
}

Zoo zooTables(int64_t checkpoints)
{
    Zoo zoo;
    zoo.name = "million";
    zoo.provenance = R"json({"kind":"synthetic benchmark zoo (wse-bench-scale)"})json";
    zoo.addArchitecture(cnnSmall());
    zoo.weights[0].rows = checkpoints;
    zoo.weights[0].cols = zoo.architectures[0].numel();
    for (int64_t m = 0; m * EpochsPerModel < checkpoints; ++m)
        zoo.models.appendRow({{zoocol::ModelId, "m" + std::to_string(m)}, {zoocol::Architecture, "cnn-s"},
                              {"init", Inits[m % 3]}, {"activation", Activations[(m / 3) % 3]},
                              {"lr", std::pow(10.0, -2.0 - double(m % 5) / 2.0)}});
    for (int64_t c = 0; c < checkpoints; ++c) {
        const int64_t model = c / EpochsPerModel, epoch = c % EpochsPerModel;
        const double accuracy = 0.1 + 0.8 * (1.0 - std::exp(-double(epoch) / 10.0)) * (0.6 + 0.4 * noise(model, 7));
        zoo.checkpoints.appendRow({{zoocol::Model, model}, {zoocol::Epoch, epoch}, {zoocol::WeightRow, c},
                                   {"test_acc", accuracy}, {"train_acc", accuracy + 0.02}});
    }
    return zoo;
}

struct StepResult
{
    bool ok = false;
    double seconds = 0.0;
    double peakMiB = 0.0;
};

// Runs `work` in a child process and waits for it: its wall time, exit status and peak memory.
StepResult runInChild(const std::function<int()> &work)
{
    std::fflush(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t child = fork();
    if (child < 0)
        return {};
    if (child == 0)
        _exit(work());
    int status = 0;
    rusage usage{};
    if (wait4(child, &status, 0, &usage) != child)
        return {};
    return {WIFEXITED(status) && WEXITSTATUS(status) == 0,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
            double(usage.ru_maxrss) / 1024.0};
}

StepResult runProgram(const std::vector<std::string> &arguments, const fs::path &log)
{
    return runInChild([&] {
        std::vector<char *> argv;
        for (const std::string &argument : arguments)
            argv.push_back(const_cast<char *>(argument.c_str()));
        argv.push_back(nullptr);
        if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr))
            return 126;
        execv(argv[0], argv.data());
        return 127;
    });
}

bool hasStep(const std::string &steps, const std::string &step)
{
    return ("," + steps + ",").find("," + step + ",") != std::string::npos;
}

} // namespace

int main(int argc, char **argv)
{
    const int64_t requested = argc > 1 ? std::atoll(argv[1]) : 1000000;
    const std::string steps = argc > 2 ? argv[2] : "write,embed,pca,umap,explorer";
    const std::string precision = argc > 3 ? argv[3] : "fp32";
    const bool keep = argc > 4;
    const fs::path work = keep ? fs::path(argv[4]) : fs::temp_directory_path() / ("wse-bench-scale-" + std::to_string(getpid()));
    fs::create_directories(work);
    const int64_t checkpoints = std::max<int64_t>(1, requested / EpochsPerModel) * EpochsPerModel;
    const std::string zoo = (work / "zoo.h5").string(), encoder = (work / "encoder.pt").string();
    const std::string embeddings = (work / "embeddings.h5").string(), workspace = (work / "workspace.h5").string();
    const double weightsMiB = double(checkpoints) * double(cnnSmall().numel()) * 4.0 / 1048576.0;

    std::printf("# wse-bench-scale: %lld CNN-s checkpoints (%lld models x %d states), weights %.0f MiB, %s embedding, in %s\n",
                static_cast<long long>(checkpoints), static_cast<long long>(checkpoints / EpochsPerModel), EpochsPerModel,
                weightsMiB, precision.c_str(), work.c_str());
    std::printf("| step | wall (s) | checkpoints/s | peak memory (MiB) | peak / zoo's weights |\n|---|---|---|---|---|\n");
    auto report = [&](const char *name, const StepResult &result, const fs::path &log) {
        if (!result.ok) {
            std::printf("| %s | failed (see %s) | | | |\n", name, log.c_str());
            return false;
        }
        std::printf("| %s | %.1f | %.0f | %.0f | %.3f |\n", name, result.seconds, double(checkpoints) / result.seconds,
                    result.peakMiB, result.peakMiB / weightsMiB);
        std::fflush(stdout);
        return true;
    };

    bool ok = true;
    if (ok && hasStep(steps, "write"))
        ok = report("write the zoo (streamed)", runInChild([&] {
            try {
                ZooStore::writeStreamed(zooTables(checkpoints), [&](size_t, int64_t first, int64_t count, float *out) {
                    fillRows(first, count, cnnSmall().numel(), out);
                }, zoo);
                return 0;
            } catch (const std::exception &error) {
                std::fprintf(stderr, "%s\n", error.what());
                return 1;
            }
        }), work / "write.log");
    if (ok && hasStep(steps, "embed")) {
        bench::writeRandomEncoder(encoder, SaneConfig::preset("small"));
        ok = report("wse embed (SANE small)", runProgram({WSE_CLI, "embed", "--sane", encoder, "--zoo", zoo, "--precision",
                                                           precision, "-o", embeddings}, work / "embed.log"), work / "embed.log");
    }
    for (const char *method : {"pca", "umap"})
        if (ok && hasStep(steps, method))
            ok = report((std::string("wse project --method ") + method).c_str(),
                        runProgram({WSE_CLI, "project", "--embeddings", embeddings, "--method", method, "-o", workspace},
                                   work / (std::string(method) + ".log")),
                        work / (std::string(method) + ".log"));
    if (ok && hasStep(steps, "explorer")) {
        if (std::string(WSE_EXPLORER).empty() || !std::getenv("DISPLAY"))
            std::printf("| explorer | skipped: %s | | | |\n", std::string(WSE_EXPLORER).empty() ? "no GUI in this build" : "no display (run under xvfb-run)");
        else
            ok = report("wse-explorer: open, draw, screenshot",
                        runProgram({WSE_EXPLORER, workspace, "--map", "sane", "--color-by", "init", "--size", "1280x800",
                                    "--screenshot", (work / "explorer.png").string()}, work / "explorer.log"),
                        work / "explorer.log");
    }
    std::printf("\nZoo file: %.0f MiB. Peak memory is the step's process's maximum resident set (wait4).\n",
                fs::exists(zoo) ? double(fs::file_size(zoo)) / 1048576.0 : 0.0);
    bench::printFooter();
    if (!keep)
        fs::remove_all(work);
    return ok ? 0 : 1;
}
