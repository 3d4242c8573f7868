#include "common/buildinfo.h"

#include "generated_buildinfo.h" // generated at every build (cmake/write-buildinfo.cmake)

#include <hdf5.h>

namespace wse {

std::string buildVersion() { return WSE_BUILD_VERSION; }

std::string buildCommit() { return WSE_BUILD_COMMIT; }

std::string buildDescription() { return buildVersion() + " (commit " + buildCommit() + ")"; }

std::string hdf5Version()
{
    unsigned major = 0, minor = 0, release = 0;
    if (H5get_libversion(&major, &minor, &release) < 0)
        return "unknown";
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

} // namespace wse
