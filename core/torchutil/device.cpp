#include "torchutil/device.h"

#include "common/error.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <cstdlib>
#include <malloc.h>
#include <thread>

namespace wse {

std::string resolveDevice(const std::string &requested)
{
    const bool cuda = torch::cuda::is_available();
    if (requested.empty() || requested == "auto")
        return cuda ? "cuda" : "cpu";
    if (requested == "cpu")
        return requested;
    if (requested == "cuda" || requested.rfind("cuda:", 0) == 0) {
        if (!cuda)
            throw UsageError("device '" + requested + "' requested but no CUDA device is available (this LibTorch " +
                             "build or machine has none); use --device cpu");
        return requested;
    }
    throw UsageError("unknown device '" + requested + "' (use auto, cpu or cuda)");
}

std::string describeDevice(const std::string &device)
{
    if (device == "cpu")
        return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
    return device + " (" + std::to_string(torch::cuda::device_count()) + " CUDA devices)";
}

void useAllCores()
{
    // Tensor buffers of a few MB are allocated and freed on every batch; by default glibc maps
    // them fresh each time (a page fault per 4 KB, ~15% of SANE inference). Keep them in the heap.
    static const bool tuned = [] {
        mallopt(M_MMAP_THRESHOLD, 256 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        return true;
    }();
    (void)tuned;
    if (std::getenv("OMP_NUM_THREADS"))
        return; // the user's explicit choice wins
    const int cores = int(std::thread::hardware_concurrency());
    if (cores > 0 && at::get_num_threads() < cores)
        at::set_num_threads(cores);
}

} // namespace wse
