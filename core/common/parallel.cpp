#include "common/parallel.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace wse {

int workerThreads()
{
    if (const char *requested = std::getenv("WSE_THREADS")) {
        const int value = std::atoi(requested);
        if (value > 0)
            return value;
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

void parallelFor(int64_t count, const std::function<void(int64_t, int64_t)> &body, int64_t minimumChunk)
{
    if (count <= 0)
        return;
    const int64_t threads = std::min<int64_t>(workerThreads(), std::max<int64_t>(1, count / std::max<int64_t>(1, minimumChunk)));
    if (threads <= 1) {
        body(0, count);
        return;
    }
    std::exception_ptr failure;
    std::mutex failureMutex;
    std::vector<std::thread> pool;
    const int64_t chunk = (count + threads - 1) / threads;
    for (int64_t t = 0; t < threads; ++t) {
        const int64_t begin = t * chunk, end = std::min(count, begin + chunk);
        if (begin >= end)
            break;
        pool.emplace_back([&, begin, end] {
            try {
                body(begin, end);
            } catch (...) {
                std::lock_guard<std::mutex> lock(failureMutex);
                if (!failure)
                    failure = std::current_exception();
            }
        });
    }
    for (std::thread &thread : pool)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace wse
