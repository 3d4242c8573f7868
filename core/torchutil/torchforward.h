#pragma once
// Forward declarations of LibTorch's tensor and generator, for headers whose users need not
// compile torch's headers (~30 s a file).
namespace at {
class Generator;
class Tensor;
} // namespace at
