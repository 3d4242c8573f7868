#include "common/atomicfile.h"

#include "common/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <unistd.h>

namespace wse {

static std::string uniqueSuffix()
{
    std::random_device device;
    std::uniform_int_distribution<unsigned> digits(0, 0xFFFFFF);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, ".tmp-%d-%06x", int(getpid()), digits(device));
    return buffer;
}

AtomicFile::AtomicFile(std::string targetPath)
    : mTargetPath(std::move(targetPath))
    , mTemporaryPath(mTargetPath + uniqueSuffix())
{}

AtomicFile::~AtomicFile()
{
    if (!mCommitted)
        ::unlink(mTemporaryPath.c_str());
}

void AtomicFile::commit()
{
    int fd = ::open(mTemporaryPath.c_str(), O_RDONLY);
    if (fd < 0)
        throw IoError(mTargetPath, std::string("cannot reopen temporary file for syncing: ") + std::strerror(errno));
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced)
        throw IoError(mTargetPath, std::string("cannot flush to disk: ") + std::strerror(errno));
    if (::rename(mTemporaryPath.c_str(), mTargetPath.c_str()) != 0)
        throw IoError(mTargetPath, std::string("cannot move temporary file into place: ") + std::strerror(errno));
    mCommitted = true;
}

} // namespace wse
