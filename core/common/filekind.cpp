#include "common/filekind.h"

#include "common/error.h"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

namespace wse {

namespace {

std::string describeMode(mode_t mode)
{
    if (S_ISREG(mode))
        return {};
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

} // namespace

std::string specialFileKind(const std::string &path)
{
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0)
        return {};
    return describeMode(status.st_mode);
}

void requireRegularFile(const std::string &path)
{
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            throw IoError(path, "no such file");
        throw IoError(path, std::string("cannot open: ") + std::strerror(errno));
    }
    const std::string kind = describeMode(status.st_mode);
    if (!kind.empty())
        throw IoError(path, "it is " + kind + ", not a file");
}

} // namespace wse
