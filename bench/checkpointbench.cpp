// wse-bench-checkpoint: importing an official-format CNN-s zoo folder and reading checkpoints back
// from the HDF5 store, each against python3-torch's torch.load of the same files, in one run.
#include "benchutil.h"

#include "checkpoint/checkpointfile.h"
#include "zoo/officialimport.h"
#include "zoo/zoostore.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

using namespace wse;

int main(int argc, char **argv)
{
    const int models = argc > 1 ? std::atoi(argv[1]) : 100;
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 4;
    const int repetitions = argc > 3 ? std::atoi(argv[3]) : 3;
    const std::string source = WSE_SOURCE_DIR;
    const std::filesystem::path work = std::filesystem::temp_directory_path() / "wse-bench-checkpoint";
    std::filesystem::remove_all(work);
    std::filesystem::create_directories(work);
    const std::string folder = (work / "tune_zoo_f_mnist_uniform").string();
    bench::runPython("import runpy, sys; a = sys.argv[1:]; sys.argv = ['', a[0], '--models', a[1], '--epochs', a[2]]; "
                     "runpy.run_path(a[3], run_name='__main__')",
                     {folder, std::to_string(models), std::to_string(epochs), source + "/tests/data/make_official_zoo.py"});
    const int checkpoints = models * (epochs + 1);
    std::printf("# wse-bench-checkpoint: %d CNN-s models x %d checkpoints = %d files, %d repetitions\n\n", models,
                epochs + 1, checkpoints, repetitions);

    // Import: our reader (zip + restricted pickle + result.json) over the whole folder.
    const std::string zooPath = (work / "zoo.h5").string();
    const bench::Timing import = bench::measure([&] {
        ImportReport report;
        ZooStore::write(importOfficialZoo(folder, report), zooPath);
    }, repetitions);

    // Baseline: torch.load of every checkpoint file (weights only, no metrics, no output file).
    const std::string loadAll = R"(
import glob, sys, time, torch
files = sorted(glob.glob(sys.argv[1] + '/*/checkpoint_*/checkpoints'))
reps = int(sys.argv[2])
for f in files: torch.load(f)
times = []
for r in range(reps):
    t = time.perf_counter()
    for f in files: torch.load(f)
    times.append(time.perf_counter() - t)
print(' '.join(str(x) for x in times))
)";
    const bench::Timing torchLoad = bench::fromText(bench::runPython(loadAll, {folder, std::to_string(repetitions)}));

    // Our checkpoint reader alone on the same files: the like-for-like comparison with torch.load.
    std::vector<std::string> files;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(folder))
        if (entry.path().filename() == "checkpoints")
            files.push_back(entry.path().string());
    const bench::Timing readerOnly = bench::measure([&] {
        for (const std::string &file : files)
            readCheckpoint(file);
    }, repetitions);

    // Reading every checkpoint back from the HDF5 zoo, one row at a time (the explorer's access pattern).
    const bench::Timing rowReads = bench::measure([&] {
        ZooWeightReader reader(zooPath, "cnn-s");
        std::vector<float> row(size_t(reader.cols()));
        for (int64_t r = 0; r < reader.rows(); ++r)
            reader.read(r, 1, row.data());
    }, repetitions);
    const bench::Timing bulkRead = bench::measure([&] { ZooStore::readWeights(zooPath, "cnn-s"); }, repetitions);

    std::printf("| task | wse (s) | checkpoints/s | torch.load of the same files (s) | speed-up |\n");
    std::printf("|---|---|---|---|---|\n");
    std::printf("| read the .pt files (checkpoint reader only) | %s | %.0f | %s | %.2fx |\n", bench::format(readerOnly).c_str(),
                checkpoints / readerOnly.mean, bench::format(torchLoad).c_str(), torchLoad.mean / readerOnly.mean);
    std::printf("| import folder -> HDF5 zoo | %s | %.0f | %s | %.2fx |\n", bench::format(import).c_str(),
                checkpoints / import.mean, bench::format(torchLoad).c_str(), torchLoad.mean / import.mean);
    std::printf("| read every checkpoint, row by row | %s | %.0f | %s | %.2fx |\n", bench::format(rowReads).c_str(),
                checkpoints / rowReads.mean, bench::format(torchLoad).c_str(), torchLoad.mean / rowReads.mean);
    std::printf("| read every checkpoint, one bulk read | %s | %.0f | %s | %.2fx |\n", bench::format(bulkRead, 1, 4).c_str(),
                checkpoints / bulkRead.mean, bench::format(torchLoad).c_str(), torchLoad.mean / bulkRead.mean);
    std::printf("\nspeed-up = torch.load time / wse time (>1: wse is faster). The import also parses "
                "params.json and result.json and writes the HDF5 file; torch.load only reads weights.\n");
    bench::printFooter();
    std::filesystem::remove_all(work);
    return 0;
}
