#include "data/svhnreader.h"

#include "common/error.h"
#include "common/filekind.h"

#ifdef WSE_HAVE_MATIO
#include <matio.h>
#endif

#include <cmath>
#include <cstdarg>
#include <memory>

namespace wse {

#ifdef WSE_HAVE_MATIO
namespace {

constexpr int64_t Side = 32, Cropped = 28, Offset = (Side - Cropped) / 2; // torchvision CenterCrop(28)

// matio reports problems on stderr by itself; ours name the file instead.
void quietLog(int, char *) {}

struct MatFile
{
    mat_t *file = nullptr;
    ~MatFile()
    {
        if (file)
            Mat_Close(file);
    }
};

struct Variable
{
    matvar_t *value = nullptr;
    ~Variable()
    {
        if (value)
            Mat_VarFree(value);
    }
};

Variable readVariable(mat_t *file, const char *name, const std::string &path)
{
    Variable variable;
    variable.value = Mat_VarRead(file, name);
    if (!variable.value || !variable.value->data)
        throw FormatError(path, std::string("no readable variable '") + name + "' (an SVHN file holds X and y)");
    return variable;
}

std::string dimsText(const matvar_t &variable)
{
    std::string text = "[";
    for (int i = 0; i < variable.rank; ++i)
        text += (i ? ", " : "") + std::to_string(variable.dims[i]);
    return text + "]";
}

// y as integers, whatever numeric class the file stores them in (the official files: uint8).
std::vector<int64_t> readLabels(const matvar_t &y, int64_t count, const std::string &path)
{
    const int64_t n = y.rank == 2 ? int64_t(y.dims[0]) * int64_t(y.dims[1]) : -1;
    if (n != count || (y.dims[0] != 1 && y.dims[1] != 1))
        throw FormatError(path, "y is " + dimsText(y) + ", not one label for each of the " + std::to_string(count) + " images");
    std::vector<int64_t> labels(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        double value = 0;
        switch (y.class_type) {
        case MAT_C_UINT8: value = static_cast<const uint8_t *>(y.data)[i]; break;
        case MAT_C_INT32: value = static_cast<const int32_t *>(y.data)[i]; break;
        case MAT_C_INT64: value = double(static_cast<const int64_t *>(y.data)[i]); break;
        case MAT_C_DOUBLE: value = static_cast<const double *>(y.data)[i]; break;
        default: throw FormatError(path, "y holds neither bytes, integers nor doubles");
        }
        if (!(value >= 1 && value <= 10) || value != std::floor(value))
            throw FormatError(path, "y[" + std::to_string(i) + "] is " + std::to_string(value) + ", not a label from 1 to 10");
        labels[size_t(i)] = value == 10 ? 0 : int64_t(value); // SVHN writes digit 0 as 10
    }
    return labels;
}

} // namespace

SvhnImages readSvhnMat(const std::string &path)
{
    requireRegularFile(path);
    Mat_LogInitFunc("wse", quietLog);
    MatFile file;
    file.file = Mat_Open(path.c_str(), MAT_ACC_RDONLY);
    if (!file.file)
        throw FormatError(path, "not a MATLAB .mat file that libmatio can read (SVHN's files are MATLAB v5)");
    const Variable x = readVariable(file.file, "X", path);
    const matvar_t &images = *x.value;
    // MATLAB drops a trailing dimension of 1: a file of one image is [32, 32, 3].
    if (images.class_type != MAT_C_UINT8 || (images.rank != 4 && images.rank != 3) || images.dims[0] != size_t(Side) ||
        images.dims[1] != size_t(Side) || images.dims[2] != 3)
        throw FormatError(path, "X is " + dimsText(images) + (images.class_type == MAT_C_UINT8 ? "" : " and not uint8") +
                                    ", not uint8 [32, 32, 3, N] (SVHN's cropped digits)");
    SvhnImages result;
    result.count = images.rank == 4 ? int64_t(images.dims[3]) : 1;
    const Variable y = readVariable(file.file, "y", path);
    result.labels = readLabels(*y.value, result.count, path);

    // Column-major [height, width, channel, image]: the row index runs fastest.
    const auto *rgb = static_cast<const uint8_t *>(images.data);
    result.pixels.resize(size_t(result.count * Cropped * Cropped));
    for (int64_t n = 0; n < result.count; ++n)
        for (int64_t row = 0; row < Cropped; ++row)
            for (int64_t column = 0; column < Cropped; ++column) {
                const int64_t at = (row + Offset) + Side * ((column + Offset) + Side * 3 * n);
                result.pixels[size_t((n * Cropped + row) * Cropped + column)] =
                    pilLuma(rgb[at], rgb[at + Side * Side], rgb[at + 2 * Side * Side]);
            }
    return result;
}
#else
SvhnImages readSvhnMat(const std::string &path)
{
    throw IoError(path, "this wse was built without libmatio (libmatio-dev), which reads SVHN's .mat files");
}
#endif

} // namespace wse
