#include "devicescommand.h"

#include "common/buildinfo.h"
#include "distributed/distributed.h"

#include "torchutil/devices.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace wse {

namespace {

nlohmann::ordered_json toJson(const DeviceInventory &inventory)
{
    nlohmann::ordered_json cuda = nlohmann::ordered_json::array();
    for (const CudaDeviceInfo &device : inventory.cuda)
        cuda.push_back({{"device", "cuda:" + std::to_string(device.index)},
                        {"name", device.name},
                        {"memory_bytes", device.memoryBytes}});
    nlohmann::ordered_json out{{"wse", buildVersion()},
                               {"libtorch", inventory.libtorchVersion},
                               {"cuda_build", inventory.cudaBuild},
                               {"cpu", {{"device", "cpu"}, {"threads", inventory.cpuThreads}, {"cores", inventory.cpuCores}}},
                               {"cuda", cuda},
                               {"distributed", distributedAvailable()}};
    if (!inventory.cudaNote.empty())
        out["cuda_note"] = inventory.cudaNote;
    return out;
}

void printText(const DeviceInventory &inventory)
{
    std::cout << "wse " << buildVersion() << ", LibTorch " << inventory.libtorchVersion
              << (inventory.cudaBuild ? " (CUDA build)" : " (CPU build)") << "\n"
              << "cpu: " << inventory.cpuThreads << " threads on " << inventory.cpuCores << " cores\n"
              << "distributed: " << (distributedAvailable() ? "torchrun / srun with PyTorch's c10d (Gloo)" : "no (built without Gloo)")
              << "\n";
    for (const CudaDeviceInfo &device : inventory.cuda) {
        std::cout << "cuda:" << device.index << ": " << (device.name.empty() ? "(name unknown)" : device.name);
        if (device.memoryBytes > 0) {
            char memory[32];
            std::snprintf(memory, sizeof memory, ", %.1f GiB", double(device.memoryBytes) / double(1ull << 30));
            std::cout << memory;
        }
        std::cout << "\n";
    }
    if (inventory.cuda.empty())
        std::cout << "cuda: none (" << inventory.cudaNote << ")\n";
}

} // namespace

void addDevicesCommand(CLI::App &app)
{
    auto asJson = std::make_shared<bool>(false);
    CLI::App *devices = app.add_subcommand("devices", "What this wse computes on: CPU threads, CUDA devices (name, memory) "
                                                      "and the LibTorch version");
    devices->add_flag("--json", *asJson, "Print JSON");
    devices->callback([asJson] {
        const DeviceInventory inventory = listDevices();
        if (*asJson)
            std::cout << toJson(inventory).dump(2) << "\n";
        else
            printText(inventory);
    });
}

} // namespace wse
