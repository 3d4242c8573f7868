#pragma once
// A minimal parallel loop over std::thread for the CPU-bound map algorithms (t-SNE, UMAP,
// neighbours). Work is split into ranges; callers make each index's result depend on that index
// alone, so results are the same for any thread count (reproducible maps).
#include <cstdint>
#include <functional>

namespace wse {

// Threads used: WSE_THREADS if set, else the hardware concurrency (at least 1).
int workerThreads();

// Calls body(begin, end) over [0, count) in contiguous ranges of at least minimumChunk indices,
// on up to workerThreads() threads. Rethrows the first exception a range threw.
void parallelFor(int64_t count, const std::function<void(int64_t begin, int64_t end)> &body, int64_t minimumChunk = 64);

} // namespace wse
