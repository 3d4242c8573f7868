#include "distributed/distributed.h"

#include "common/error.h"
#include "torchutil/device.h"

#include <torch/torch.h>

#ifdef WSE_HAVE_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#ifdef WSE_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace wse {

std::string deviceOfRank(const std::string &device, const DistributedContext &context)
{
    const std::string resolved = resolveDevice(device);
    if (!context.active() || resolved != "cuda")
        return resolved;
    return "cuda:" + std::to_string(context.localRank); // one GPU per process on a node
}

bool distributedAvailable()
{
#ifdef WSE_HAVE_GLOO
    return true;
#else
    return false;
#endif
}

#ifdef WSE_HAVE_GLOO

struct ProcessGroup::Impl
{
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroup> group;
    bool cuda = false;
    int rank = 0, size = 1;

    void wait(c10::intrusive_ptr<c10d::Work> work, const char *what)
    {
        try {
            work->wait();
        } catch (const std::exception &error) {
            throw Error({}, std::string(what) + " among the " + std::to_string(size) + " processes failed (a process may have "
                            "stopped): " + error.what());
        }
    }

    void allReduce(at::Tensor host)
    {
        std::vector<at::Tensor> tensors{cuda ? host.to(at::kCUDA) : host};
        wait(group->allreduce(tensors), "adding up");
        if (cuda)
            host.copy_(tensors.front());
    }
};

namespace {

// Gloo binds to the address this host's name resolves to; on one machine (MASTER_ADDR loopback)
// that may be nowhere, so the loopback is used. GLOO_SOCKET_IFNAME chooses an interface.
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string &masterAddress)
{
    if (const char *interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    if (masterAddress == "127.0.0.1" || masterAddress == "localhost")
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

ProcessGroup::ProcessGroup(const DistributedContext &context, const std::string &device) : mImpl(std::make_unique<Impl>())
{
    const std::chrono::milliseconds timeout = std::chrono::seconds(context.connectSeconds);
    mImpl->rank = context.rank;
    mImpl->size = context.worldSize;
    const std::string where = context.masterAddress + ":" + std::to_string(context.masterPort);
    try {
        // torchrun's agent already serves a store there (TORCHELASTIC_USE_AGENT_STORE): join it,
        // under the prefix PyTorch's own workers use, one per restart.
        const char *agent = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
        const bool agentStore = agent && std::string(agent) == "True";
        c10d::TCPStoreOptions options;
        options.port = uint16_t(context.masterPort);
        options.isServer = context.rank == 0 && !agentStore;
        options.numWorkers = size_t(context.worldSize);
        options.waitWorkers = true; // every process counts itself in; the server waits for all
        options.timeout = timeout;
        auto store = c10::make_intrusive<c10d::TCPStore>(context.masterAddress, options);
        const char *restart = std::getenv("TORCHELASTIC_RESTART_COUNT");
        mImpl->store = c10::make_intrusive<c10d::PrefixStore>(
            std::string("/worker/attempt_") + (restart && *restart ? restart : "0"), store);
    } catch (const std::exception &error) {
        const double seconds = double(timeout.count()) / 1000.0;
        throw Error({}, "rank " + std::to_string(context.rank) + " of " + std::to_string(context.worldSize) +
                            " could not meet the others at the store " + where + " (MASTER_ADDR:MASTER_PORT) within " +
                            std::to_string(int(seconds)) + " s: " + error.what());
    }
    const std::chrono::milliseconds working = std::chrono::hours(72);
    try {
#ifdef WSE_HAVE_NCCL
        if (resolveDevice(device).rfind("cuda", 0) == 0) {
            mImpl->cuda = true;
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = working;
            mImpl->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(mImpl->store, context.rank, context.worldSize, options);
            return;
        }
#endif
        (void)device; // Gloo adds up host memory
        auto options = c10d::ProcessGroupGloo::Options::create(working);
        options->devices.push_back(glooDevice(context.masterAddress));
        mImpl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(mImpl->store, context.rank, context.worldSize, options);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &error) {
        throw Error({}, "rank " + std::to_string(context.rank) + " could not connect to the other processes (store " + where +
                            "): " + error.what());
    }
}

ProcessGroup::~ProcessGroup() = default;

int ProcessGroup::rank() const { return mImpl->rank; }
int ProcessGroup::size() const { return mImpl->size; }

void ProcessGroup::barrier()
{
    mImpl->wait(mImpl->group->barrier(), "waiting for each other");
}

void ProcessGroup::allReduceSum(float *data, int64_t count)
{
    mImpl->allReduce(torch::from_blob(data, {count}, torch::kFloat32));
}

void ProcessGroup::allReduceSum(double *data, int64_t count)
{
    mImpl->allReduce(torch::from_blob(data, {count}, torch::kFloat64));
}

void ProcessGroup::broadcast(float *data, int64_t count, int root)
{
    at::Tensor host = torch::from_blob(data, {count}, torch::kFloat32);
    std::vector<at::Tensor> tensors{mImpl->cuda ? host.to(at::kCUDA) : host};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    mImpl->wait(mImpl->group->broadcast(tensors, options), "sharing weights");
    if (mImpl->cuda)
        host.copy_(tensors.front());
}

#else // without Gloo: a world of one only

struct ProcessGroup::Impl
{};

ProcessGroup::ProcessGroup(const DistributedContext &context, const std::string &)
{
    if (context.active())
        throw UsageError("this wse was built without PyTorch's Gloo (libgloo-dev): it cannot run as " + context.describe());
}
ProcessGroup::~ProcessGroup() = default;
int ProcessGroup::rank() const { return 0; }
int ProcessGroup::size() const { return 1; }
void ProcessGroup::barrier() {}
void ProcessGroup::allReduceSum(float *, int64_t) {}
void ProcessGroup::allReduceSum(double *, int64_t) {}
void ProcessGroup::broadcast(float *, int64_t, int) {}

#endif

} // namespace wse
