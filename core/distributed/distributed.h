#pragma once
// The processes of one `wse` command started together by torchrun or Slurm's srun: which one this
// is and how they meet. One process started without those variables is a world of one and runs
// exactly as it always did. The communication itself (PyTorch's c10d: Gloo on the CPU, NCCL on
// CUDA) is ProcessGroup's; torch stays out of this header.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace wse {

struct DistributedContext
{
    int rank = 0, worldSize = 1, localRank = 0, localWorldSize = 1;
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    std::string launcher; // "torchrun", "slurm", or "" (one process)
    int connectSeconds = 300; // how long a rank waits for the others (WSE_RENDEZVOUS_TIMEOUT)

    bool active() const { return worldSize > 1; }
    bool leader() const { return rank == 0; } // writes the results
    std::string describe() const; // "rank 1 of 2 (torchrun, store 127.0.0.1:29500)"

    // From torchrun's RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT or
    // srun's SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, SLURM_NTASKS_PER_NODE, the first host of
    // SLURM_JOB_NODELIST (MASTER_ADDR / MASTER_PORT win when set); WSE_RENDEZVOUS_TIMEOUT seconds.
    // Throws UsageError naming a variable that does not make sense.
    static DistributedContext fromEnvironment();
};

// The first host of a Slurm node list: "gpu[03-05,9],cpu1" -> "gpu03".
std::string firstSlurmHost(const std::string &nodeList);

// A part of a job's work: this process's share (index) among `count`.
struct Shard
{
    int index = 0, count = 1;
    bool owns(int64_t item) const { return item % count == index; }
    bool whole() const { return count == 1; }
};

// The communication group of the job's processes. Rendezvous through a TCP store on rank 0's
// address; a rank that cannot reach it within the context's connectSeconds throws Error naming the address,
// port and timeout. Collectives wait as long as the slowest process works (a barrier after
// training may wait hours; the launcher stops every process when one fails). Gloo for the CPU,
// NCCL for CUDA where this LibTorch has it.
class ProcessGroup
{
public:
    ProcessGroup(const DistributedContext &context, const std::string &device);
    ~ProcessGroup();
    ProcessGroup(const ProcessGroup &) = delete;
    ProcessGroup &operator=(const ProcessGroup &) = delete;

    int rank() const;
    int size() const;
    void barrier();
    // In place, over every rank: the element-wise sum; rank `root`'s values.
    void allReduceSum(float *data, int64_t count);
    void allReduceSum(double *data, int64_t count);
    void broadcast(float *data, int64_t count, int root = 0);

private:
    struct Impl;
    std::unique_ptr<Impl> mImpl;
};

// The device this process computes on: `device` resolved (auto: CUDA when there is one), and a
// bare "cuda" made this process's own GPU, cuda:LOCAL_RANK.
std::string deviceOfRank(const std::string &device, const DistributedContext &context);

// True when this build can form groups of several processes (LibTorch with c10d and Gloo).
bool distributedAvailable();

} // namespace wse
