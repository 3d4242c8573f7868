// wse-bench-maps: PCA, t-SNE and UMAP of a 20-cluster Gaussian mixture (128-d) to 3D, against the
// best implementations Debian ships, on the same data and machine in one run: R's uwot (C++
// core) for UMAP and scikit-learn's Barnes-Hut TSNE. Every layout's trustworthiness and
// continuity (k = 10) is measured by the same code. Baselines that are not installed are skipped.
//
// Usage: wse-bench-maps [SIZES=10000,100000] [BASELINE_LIMIT_TSNE=10000] [BASELINE_LIMIT_UMAP=100000] [METHODS=pca,umap,tsne]
#include "benchutil.h"

#include "analysis/projection.h"
#include "common/parallel.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace wse;

namespace {

std::vector<float> gaussianMixture(int64_t points, int dims, int clusters, uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<float> normal;
    std::vector<float> centres(size_t(clusters * dims));
    for (float &v : centres)
        v = 4.0f * normal(random);
    std::vector<float> data(size_t(points * dims));
    for (int64_t i = 0; i < points; ++i) {
        const int64_t c = i % clusters;
        for (int d = 0; d < dims; ++d)
            data[size_t(i * dims + d)] = centres[size_t(c * dims + d)] + normal(random);
    }
    return data;
}

void writeFloats(const std::string &path, const std::vector<float> &values)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(values.data()), std::streamsize(values.size() * sizeof(float)));
}

std::vector<float> readFloats(const std::string &path, size_t count)
{
    std::vector<float> values(count);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char *>(values.data()), std::streamsize(count * sizeof(float)));
    if (!in)
        throw std::runtime_error("baseline output " + path + " is short");
    return values;
}

const char *SklearnTsne = R"(
import sys, time, numpy as np
from sklearn.manifold import TSNE
n, d, seed = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(n, d)
start = time.perf_counter()
y = TSNE(n_components=3, perplexity=30.0, init='pca', learning_rate='auto', random_state=seed, n_jobs=-1).fit_transform(x)
print(time.perf_counter() - start)
np.asarray(y, dtype=np.float32).tofile(sys.argv[5])
)";

const char *UwotUmap = R"(
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[2]); d <- as.integer(args[3]); seed <- as.integer(args[4])
suppressMessages(library(uwot))
x <- matrix(readBin(args[1], "numeric", n = n * d, size = 4), nrow = n, byrow = TRUE)
set.seed(seed)
t <- system.time(y <- umap(x, n_neighbors = 15, n_components = 3, min_dist = 0.1, n_threads = parallel::detectCores(),
                           n_sgd_threads = parallel::detectCores()))
cat(t[["elapsed"]], "\n")
writeBin(as.vector(t(y)), args[5], size = 4)
)";

struct Row
{
    std::string name;
    double seconds = 0;
    MapQuality quality;
};

void printRow(const Row &row, double oursSeconds)
{
    std::printf("  %-28s %9.2f s  T %.4f  C %.4f  time ratio (theirs/ours) %s\n", row.name.c_str(), row.seconds,
                row.quality.trustworthiness, row.quality.continuity,
                oursSeconds > 0 && row.seconds > 0 && row.name.rfind("wse", 0) != 0
                    ? (std::to_string(row.seconds / oursSeconds).substr(0, 5) + "x").c_str()
                    : "-");
}

std::vector<int64_t> parseList(const std::string &text)
{
    std::vector<int64_t> values;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ','))
        values.push_back(std::stoll(item));
    return values;
}

} // namespace

int main(int argc, char **argv)
{
    const std::vector<int64_t> sizes = parseList(argc > 1 ? argv[1] : "10000,100000");
    const int64_t tsneBaselineLimit = argc > 2 ? std::stoll(argv[2]) : 10000;
    const int64_t umapBaselineLimit = argc > 3 ? std::stoll(argv[3]) : 100000;
    const std::string methods = argc > 4 ? argv[4] : "pca,umap,tsne";
    const int dims = 128, seed = 1;
    const std::string work = (std::filesystem::temp_directory_path() / ("wse-bench-maps-" + std::to_string(getpid()))).string();
    std::filesystem::create_directories(work);
    const bool haveR = std::system("Rscript -e 'suppressMessages(library(uwot))' >/dev/null 2>&1") == 0;
    const bool haveSklearn = std::system("/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1") == 0;
    std::printf("wse-bench-maps: 20-cluster Gaussian mixture, %d-d -> 3D, %d threads; trustworthiness T and continuity C at k = 10\n",
                dims, workerThreads());

    for (int64_t n : sizes) {
        const std::vector<float> data = gaussianMixture(n, dims, 20, seed);
        const std::string input = work + "/x.f32", output = work + "/y.f32";
        writeFloats(input, data);
        auto quality = [&](const std::vector<float> &layout) {
            return measureMapQuality(data.data(), n, dims, layout.data(), 3, DistanceMetric::Euclidean, 10, 20000, seed);
        };
        std::printf("\n%lld points:\n", static_cast<long long>(n));

        for (ProjectionMethod method : {ProjectionMethod::Pca, ProjectionMethod::Umap, ProjectionMethod::Tsne}) {
            if (methods.find(methodName(method)) == std::string::npos)
                continue;
            ProjectionSettings settings;
            settings.method = method;
            settings.seed = seed;
            settings.qualityK = 0;
            if (const char *search = std::getenv("WSE_BENCH_SEARCH")) // exact, approximate or auto
                settings.search = searchFromName(search);
            // WSE_BENCH_VERBOSE=1: print when each stage starts (where the time goes).
            std::string lastStage;
            ProgressReporter stages([&](const ProgressInfo &info) {
                if (std::getenv("WSE_BENCH_VERBOSE") && info.stage.substr(0, 4) != lastStage.substr(0, 4))
                    std::fprintf(stderr, "    %7.2f s  %s\n", info.elapsedSeconds, info.stage.c_str());
                lastStage = info.stage;
                return true;
            });
            const Projection ours = computeProjection(data.data(), n, dims, settings, &stages);
            Row mine{"wse " + settings.describe(), ours.seconds, quality(ours.coordinates)};
            printRow(mine, 0);
            const std::string args[] = {input, std::to_string(n), std::to_string(dims), std::to_string(seed), output};
            try {
                if (method == ProjectionMethod::Umap && haveR && n <= umapBaselineLimit) {
                    const double seconds = bench::fromText(bench::runInterpreter("Rscript -e", UwotUmap, {args, args + 5})).mean;
                    printRow({"uwot 0.1.14 (R)", seconds, quality(readFloats(output, size_t(n * 3)))}, ours.seconds);
                } else if (method == ProjectionMethod::Tsne && haveSklearn && n <= tsneBaselineLimit) {
                    const double seconds = bench::fromText(bench::runPython(SklearnTsne, {args, args + 5})).mean;
                    printRow({"scikit-learn TSNE", seconds, quality(readFloats(output, size_t(n * 3)))}, ours.seconds);
                } else if (method != ProjectionMethod::Pca) {
                    std::printf("  (baseline skipped: not installed or above its size limit)\n");
                }
            } catch (const std::exception &error) {
                std::printf("  baseline failed: %s\n", error.what());
            }
            std::fflush(stdout);
        }
    }
    std::filesystem::remove_all(work);
    bench::printFooter();
    return 0;
}
