#pragma once
// What this wse can compute on: the CPU's threads, the CUDA devices its LibTorch sees (with their
// names and memory, from the NVIDIA driver's NVML when it is installed) and the LibTorch version —
// what `wse devices` prints and the explorer shows for each runner.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct CudaDeviceInfo
{
    int index = 0;
    std::string name;         // "NVIDIA H100 80GB HBM3"; empty when NVML is not installed
    uint64_t memoryBytes = 0; // 0 when unknown
};

struct DeviceInventory
{
    std::string libtorchVersion; // "1.13.0"
    bool cudaBuild = false;      // this LibTorch has CUDA kernels
    int cpuThreads = 0;          // LibTorch's intra-op threads
    int cpuCores = 0;
    std::vector<CudaDeviceInfo> cuda;
    std::string cudaNote; // why there is no CUDA device, when there is none
};

DeviceInventory listDevices();

// Names and memory of the NVIDIA GPUs from the driver's NVML (loaded at run time, so that no build
// needs it), in NVML's order; empty without the driver.
std::vector<CudaDeviceInfo> nvidiaDevices();

} // namespace wse
