// NVIDIA's management library, opened at run time: it comes with the driver, not with LibTorch or
// the CUDA toolkit, so a machine without a GPU (or a CPU-only build) needs nothing of it.
#include "torchutil/devices.h"

#include <dlfcn.h>

namespace wse {

namespace {

struct NvmlMemory
{
    unsigned long long total, free, used;
};
using NvmlDevice = void *;
using InitFn = int (*)();
using CountFn = int (*)(unsigned int *);
using HandleFn = int (*)(unsigned int, NvmlDevice *);
using NameFn = int (*)(NvmlDevice, char *, unsigned int);
using MemoryFn = int (*)(NvmlDevice, NvmlMemory *);

} // namespace

std::vector<CudaDeviceInfo> nvidiaDevices()
{
    void *library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library)
        return {};
    const auto init = reinterpret_cast<InitFn>(dlsym(library, "nvmlInit_v2"));
    const auto count = reinterpret_cast<CountFn>(dlsym(library, "nvmlDeviceGetCount_v2"));
    const auto handle = reinterpret_cast<HandleFn>(dlsym(library, "nvmlDeviceGetHandleByIndex_v2"));
    const auto name = reinterpret_cast<NameFn>(dlsym(library, "nvmlDeviceGetName"));
    const auto memory = reinterpret_cast<MemoryFn>(dlsym(library, "nvmlDeviceGetMemoryInfo"));
    const auto shutdown = reinterpret_cast<InitFn>(dlsym(library, "nvmlShutdown"));
    std::vector<CudaDeviceInfo> devices;
    unsigned int n = 0;
    if (init && count && handle && name && memory && init() == 0) {
        if (count(&n) == 0)
            for (unsigned int i = 0; i < n; ++i) {
                NvmlDevice device = nullptr;
                if (handle(i, &device) != 0)
                    continue;
                CudaDeviceInfo info;
                info.index = int(i);
                char text[96] = {};
                if (name(device, text, sizeof text) == 0)
                    info.name = text;
                NvmlMemory bytes{};
                if (memory(device, &bytes) == 0)
                    info.memoryBytes = bytes.total;
                devices.push_back(info);
            }
        if (shutdown)
            shutdown();
    }
    dlclose(library);
    return devices;
}

} // namespace wse
