#pragma once
// A state_dict as read from or written to a PyTorch checkpoint, without torch: ordered
// (key, tensor) pairs whose tensors hold contiguous little-endian bytes of their dtype.
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

enum class DType { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };

const char *dtypeName(DType dtype);    // "float32", ...
int dtypeSize(DType dtype);            // bytes per element
bool dtypeIsFloating(DType dtype);

struct TensorBuffer
{
    DType dtype = DType::Float32;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes; // contiguous, row-major, little-endian

    int64_t numel() const;
    std::string shapeText() const;
    // Values converted to float (integers and bools too; NaN stays NaN).
    std::vector<float> toFloat() const;
    static TensorBuffer fromFloat(const std::vector<int64_t> &shape, const float *values);
    static TensorBuffer fromInt64(const std::vector<int64_t> &shape, const int64_t *values);
};

struct StateDict
{
    std::vector<std::pair<std::string, TensorBuffer>> entries;
    std::vector<std::string> notes; // what the reader skipped or assumed, for the user
    // Text entries stored next to the tensors: written as {"model": state_dict, name: text, ...}
    // (torch.load(f)["model"] loads into the PyTorch module); read back from such files.
    std::vector<std::pair<std::string, std::string>> texts;

    const std::string *findText(const std::string &name) const;

    const TensorBuffer *find(const std::string &key) const;
    int64_t numel() const;
};

} // namespace wse
