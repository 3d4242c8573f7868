#include "checkpoint/statedict.h"

#include "common/shape.h"

#include <cmath>
#include <cstring>

namespace wse {

const char *dtypeName(DType dtype)
{
    switch (dtype) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Float16: return "float16";
    case DType::BFloat16: return "bfloat16";
    case DType::Int64: return "int64";
    case DType::Int32: return "int32";
    case DType::Int16: return "int16";
    case DType::Int8: return "int8";
    case DType::UInt8: return "uint8";
    case DType::Bool: return "bool";
    }
    return "?";
}

int dtypeSize(DType dtype)
{
    switch (dtype) {
    case DType::Float64: case DType::Int64: return 8;
    case DType::Float32: case DType::Int32: return 4;
    case DType::Float16: case DType::BFloat16: case DType::Int16: return 2;
    case DType::Int8: case DType::UInt8: case DType::Bool: return 1;
    }
    return 1;
}

bool dtypeIsFloating(DType dtype)
{
    return dtype == DType::Float32 || dtype == DType::Float64 || dtype == DType::Float16 || dtype == DType::BFloat16;
}

int64_t TensorBuffer::numel() const { return shapeNumel(shape); }

std::string TensorBuffer::shapeText() const { return wse::shapeText(shape); }

static float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    const int exponent = (h >> 10) & 0x1F;
    const uint32_t mantissa = h & 0x3FF;
    float value;
    if (exponent == 0)
        value = std::ldexp(float(mantissa), -24);
    else if (exponent == 31)
        value = mantissa ? NAN : INFINITY;
    else
        value = std::ldexp(float(mantissa | 0x400), exponent - 25);
    return sign ? -value : value;
}

std::vector<float> TensorBuffer::toFloat() const
{
    const auto n = size_t(numel());
    std::vector<float> out(n);
    const uint8_t *p = bytes.data();
    for (size_t i = 0; i < n; ++i) {
        switch (dtype) {
        case DType::Float32: std::memcpy(&out[i], p + 4 * i, 4); break;
        case DType::Float64: { double d; std::memcpy(&d, p + 8 * i, 8); out[i] = float(d); break; }
        case DType::Float16: { uint16_t h; std::memcpy(&h, p + 2 * i, 2); out[i] = halfToFloat(h); break; }
        case DType::BFloat16: { uint16_t h; std::memcpy(&h, p + 2 * i, 2); uint32_t bits = uint32_t(h) << 16; std::memcpy(&out[i], &bits, 4); break; }
        case DType::Int64: { int64_t v; std::memcpy(&v, p + 8 * i, 8); out[i] = float(v); break; }
        case DType::Int32: { int32_t v; std::memcpy(&v, p + 4 * i, 4); out[i] = float(v); break; }
        case DType::Int16: { int16_t v; std::memcpy(&v, p + 2 * i, 2); out[i] = float(v); break; }
        case DType::Int8: out[i] = float(int8_t(p[i])); break;
        case DType::UInt8: case DType::Bool: out[i] = float(p[i]); break;
        }
    }
    return out;
}

static TensorBuffer fromValues(DType dtype, const std::vector<int64_t> &shape, const void *values)
{
    TensorBuffer tensor;
    tensor.dtype = dtype;
    tensor.shape = shape;
    tensor.bytes.resize(size_t(tensor.numel()) * dtypeSize(dtype));
    if (!tensor.bytes.empty()) // memcpy from a null pointer is undefined even for 0 bytes
        std::memcpy(tensor.bytes.data(), values, tensor.bytes.size());
    return tensor;
}

TensorBuffer TensorBuffer::fromFloat(const std::vector<int64_t> &shape, const float *values)
{
    return fromValues(DType::Float32, shape, values);
}

TensorBuffer TensorBuffer::fromInt64(const std::vector<int64_t> &shape, const int64_t *values)
{
    return fromValues(DType::Int64, shape, values);
}

const TensorBuffer *StateDict::find(const std::string &key) const
{
    for (const auto &entry : entries)
        if (entry.first == key)
            return &entry.second;
    return nullptr;
}

int64_t StateDict::numel() const
{
    int64_t count = 0;
    for (const auto &entry : entries)
        count += entry.second.numel();
    return count;
}

const std::string *StateDict::findText(const std::string &name) const
{
    for (const auto &[key, text] : texts)
        if (key == name)
            return &text;
    return nullptr;
}

} // namespace wse
