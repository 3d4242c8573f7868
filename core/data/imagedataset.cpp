#include "data/imagedataset.h"

#include "common/error.h"

#include <algorithm>
#include <cstring>

namespace wse {

// The same dataset description with no items (copying `images` first would copy every image).
static ImageDataset emptyLike(const ImageDataset &set)
{
    ImageDataset out;
    out.name = set.name;
    out.channels = set.channels;
    out.height = set.height;
    out.width = set.width;
    out.classes = set.classes;
    return out;
}

ImageDataset ImageDataset::select(const std::vector<int64_t> &indices) const
{
    ImageDataset subset = emptyLike(*this);
    subset.count = int64_t(indices.size());
    subset.images.resize(size_t(subset.count * imageSize()));
    subset.labels.resize(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) {
        const int64_t source = indices[i];
        if (source < 0 || source >= count)
            throw UsageError("image index " + std::to_string(source) + " out of range for " + name);
        std::memcpy(subset.images.data() + int64_t(i) * imageSize(), images.data() + source * imageSize(),
                    size_t(imageSize()) * sizeof(float));
        subset.labels[i] = labels[size_t(source)];
    }
    return subset;
}

ImageDataset ImageDataset::head(int64_t n) const
{
    if (n <= 0 || n >= count)
        return *this;
    ImageDataset subset = emptyLike(*this);
    subset.count = n;
    subset.images.assign(images.begin(), images.begin() + long(n * imageSize()));
    subset.labels.assign(labels.begin(), labels.begin() + long(n));
    return subset;
}

} // namespace wse
