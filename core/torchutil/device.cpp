#include "torchutil/device.h"
#include "torchutil/devices.h"

#include "common/error.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dlfcn.h>
#include <malloc.h>
#include <mutex>
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
        return "cpu (" + std::to_string(at::get_num_threads()) + (at::get_num_threads() == 1 ? " thread)" : " threads)");
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

int intraOpThreads() { return at::get_num_threads(); }

void setIntraOpThreads(int threads) { at::set_num_threads(std::max(1, threads)); }

double matmulGflops(const std::string &device)
{
    torch::NoGradGuard noGrad;
    const int64_t n = 1024;
    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const torch::Tensor a = torch::randn({n, n}, options), b = torch::randn({n, n}, options);
    torch::Tensor c = torch::mm(a, b); // warm-up
    const bool cuda = device != "cpu";
    if (cuda)
        torch::cuda::synchronize();
    const int repetitions = cuda ? 200 : 10;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repetitions; ++i)
        c = torch::mm(a, b);
    if (cuda)
        torch::cuda::synchronize();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return 2.0 * double(n * n * n) * repetitions / seconds / 1e9;
}

std::string checkPrecision(const std::string &precision)
{
    if (precision == "fp32" || precision == "bf16")
        return precision;
    throw UsageError("unknown precision '" + precision + "' (use fp32 or bf16)");
}

// LibTorch 2.4 replaced the per-device autocast functions by ones taking the device type.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
namespace {
at::DeviceType autocastType(bool cuda) { return cuda ? at::kCUDA : at::kCPU; }
bool autocastEnabled(bool cuda) { return at::autocast::is_autocast_enabled(autocastType(cuda)); }
at::ScalarType autocastDtype(bool cuda) { return at::autocast::get_autocast_dtype(autocastType(cuda)); }
void setAutocast(bool cuda, bool enabled, at::ScalarType dtype)
{
    at::autocast::set_autocast_dtype(autocastType(cuda), dtype);
    at::autocast::set_autocast_enabled(autocastType(cuda), enabled);
}
} // namespace
#else
namespace {
bool autocastEnabled(bool cuda) { return cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled(); }
at::ScalarType autocastDtype(bool cuda)
{
    return cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void setAutocast(bool cuda, bool enabled, at::ScalarType dtype)
{
    if (cuda) {
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(enabled);
    } else {
        at::autocast::set_autocast_cpu_dtype(dtype);
        at::autocast::set_cpu_enabled(enabled);
    }
}
} // namespace
#endif

MixedPrecisionScope::MixedPrecisionScope(const std::string &device, const std::string &precision)
{
    if (checkPrecision(precision) != "bf16")
        return;
    mActive = true;
    mCuda = device.rfind("cuda", 0) == 0;
    mWasEnabled = autocastEnabled(mCuda);
    mWasDtype = int(autocastDtype(mCuda));
    setAutocast(mCuda, true, at::kBFloat16);
    at::autocast::increment_nesting();
}

MixedPrecisionScope::~MixedPrecisionScope()
{
    if (!mActive)
        return;
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache(); // the bfloat16 copies of the weights made in this scope
    setAutocast(mCuda, mWasEnabled, at::ScalarType(mWasDtype));
}

namespace {
// OpenBLAS's thread-count functions, when LibTorch's BLAS is OpenBLAS (looked up once).
struct OpenBlasThreads
{
    int (*get)() = nullptr;
    void (*set)(int) = nullptr;
};

const OpenBlasThreads &openBlasThreads()
{
    static const OpenBlasThreads functions = [] {
        OpenBlasThreads f;
        f.get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        f.set = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        if (!f.get || !f.set)
            f = {};
        return f;
    }();
    return functions;
}
} // namespace

namespace {
// Embedders alive at once (threads of one process) share one saved setting: the first saves the
// thread counts, the last puts them back.
struct SavedThreads
{
    std::mutex mutex;
    int users = 0, torch = 0, blas = 0;
};
SavedThreads &savedThreads()
{
    static SavedThreads saved;
    return saved;
}
} // namespace

CpuInferenceThreads::CpuInferenceThreads(const std::string &device, const std::string &precision)
{
    // bfloat16 products run in oneDNN on LibTorch's own threads, which keeps the cores busy (side by
    // side passes measured no better)
    if (device != "cpu" || checkPrecision(precision) == "bf16")
        return;
    SavedThreads &saved = savedThreads();
    const std::lock_guard<std::mutex> lock(saved.mutex);
    if (saved.users++ == 0) {
        saved.torch = at::get_num_threads();
        saved.blas = openBlasThreads().get ? openBlasThreads().get() : 0;
    }
    mWorkers = std::max({1, saved.torch, saved.blas});
    mActive = true;
    enterWorker();
}

void CpuInferenceThreads::enterWorker()
{
    at::set_num_threads(1);
    if (openBlasThreads().set)
        openBlasThreads().set(1);
}

CpuInferenceThreads::~CpuInferenceThreads()
{
    if (!mActive)
        return;
    SavedThreads &saved = savedThreads();
    const std::lock_guard<std::mutex> lock(saved.mutex);
    if (--saved.users > 0)
        return;
    at::set_num_threads(saved.torch);
    if (saved.blas)
        openBlasThreads().set(saved.blas);
}

DeviceInventory listDevices()
{
    useAllCores();
    DeviceInventory inventory;
    inventory.libtorchVersion = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                                std::to_string(TORCH_VERSION_PATCH);
    // A CUDA build links LibTorch's CUDA library into the process (CPU builds have none to load).
    void *cudaLibrary = dlopen("libtorch_cuda.so", RTLD_NOW | RTLD_NOLOAD);
    inventory.cudaBuild = cudaLibrary != nullptr;
    if (cudaLibrary)
        dlclose(cudaLibrary);
    inventory.cpuThreads = at::get_num_threads();
    inventory.cpuCores = int(std::thread::hardware_concurrency());
    const int count = int(torch::cuda::device_count());
    // NVML counts in PCI order, CUDA fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID: names are
    // given when the counts agree and there is one GPU or the order is the PCI one.
    const std::vector<CudaDeviceInfo> named = nvidiaDevices();
    const char *order = std::getenv("CUDA_DEVICE_ORDER");
    const bool sameOrder = int(named.size()) == count && (count == 1 || (order && std::string(order) == "PCI_BUS_ID"));
    for (int i = 0; i < count; ++i)
        inventory.cuda.push_back(sameOrder ? named[size_t(i)] : CudaDeviceInfo{i, {}, 0});
    if (count == 0)
        inventory.cudaNote = !inventory.cudaBuild ? "this wse's LibTorch is built without CUDA"
                             : named.empty()      ? "no NVIDIA driver or GPU found"
                                                  : "the GPUs are not visible to CUDA (CUDA_VISIBLE_DEVICES?)";
    return inventory;
}

} // namespace wse
