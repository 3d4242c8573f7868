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

} // namespace wse
