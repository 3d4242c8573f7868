#include "common/error.h"

namespace wse {

static std::string joinPathAndReason(const std::string &path, const std::string &reason)
{
    return path.empty() ? reason : path + ": " + reason;
}

Error::Error(std::string path, std::string reason)
    : std::runtime_error(joinPathAndReason(path, reason))
    , mPath(std::move(path))
    , mReason(std::move(reason))
{}

} // namespace wse
