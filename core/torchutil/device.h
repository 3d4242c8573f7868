#pragma once
// Device choice and thread setup, without exposing torch types.
#include <string>

namespace wse {

// "auto" -> "cuda" when a CUDA device is available, else "cpu"; "cpu"/"cuda" are checked.
// Throws UsageError for an unknown name or for "cuda" without a CUDA device.
std::string resolveDevice(const std::string &requested);

// A short description such as "cpu (2 threads)" or "cuda:0 (NVIDIA H100 80GB HBM3)".
std::string describeDevice(const std::string &device);

// LibTorch defaults to one intra-op thread on some machines; use every core (unless
// OMP_NUM_THREADS says otherwise).
void useAllCores();

// LibTorch's intra-op thread count on the CPU (what useAllCores() sets), and a way to change it.
int intraOpThreads();
void setIntraOpThreads(int threads);

// The float32 matrix-product rate of `device` in GFLOP/s (a few 1024x1024 products, measured now):
// the ceiling benchmarks compare training throughput against.
double matmulGflops(const std::string &device);

// "fp32" (the default: parity with the official code) or "bf16" (mixed precision); returns the
// name, throws UsageError for another.
std::string checkPrecision(const std::string &precision);

// While alive, and when `precision` is "bf16", eligible operations on `device` (matrix products,
// convolutions) run in bfloat16 while reductions, norms and softmax stay in float32, as
// torch.autocast does; parameters and gradients stay float32. Does nothing for "fp32".
class MixedPrecisionScope
{
public:
    MixedPrecisionScope(const std::string &device, const std::string &precision);
    ~MixedPrecisionScope();
    MixedPrecisionScope(const MixedPrecisionScope &) = delete;
    MixedPrecisionScope &operator=(const MixedPrecisionScope &) = delete;

private:
    bool mActive = false, mCuda = false, mWasEnabled = false;
    int mWasDtype = 0;
};

// While alive, on the CPU and in float32: forward passes run on workers() threads of their own,
// each with one LibTorch and one BLAS thread, instead of one pass spread over LibTorch's OpenMP
// pool and OpenBLAS's threads. Those two pools spin for the same cores after each other's work,
// and small matrices and element-wise steps leave cores idle; whole passes side by side keep every
// core busy. On a GPU or in bfloat16 workers() is 1 and nothing changes.
class CpuInferenceThreads
{
public:
    CpuInferenceThreads(const std::string &device, const std::string &precision);
    ~CpuInferenceThreads();
    CpuInferenceThreads(const CpuInferenceThreads &) = delete;
    CpuInferenceThreads &operator=(const CpuInferenceThreads &) = delete;

    int workers() const { return mWorkers; }
    // Each worker thread calls this first (a new thread starts with LibTorch's default count).
    static void enterWorker();

private:
    int mWorkers = 1;
    bool mActive = false; // changed the thread counts (restored when the last such object goes)
};

} // namespace wse
