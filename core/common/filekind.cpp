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

void checkOutputPath(const std::string &output, const std::vector<std::string> &inputs)
{
    struct stat written {};
    if (::stat(output.c_str(), &written) != 0)
        return; // a new file cannot be an input
    const std::string kind = describeMode(written.st_mode);
    if (!kind.empty())
        throw IoError(output, "cannot write here: it is " + kind + "; give the path of a file");
    for (const std::string &input : inputs) {
        struct stat read {};
        if (!input.empty() && ::stat(input.c_str(), &read) == 0 && read.st_dev == written.st_dev &&
            read.st_ino == written.st_ino)
            throw UsageError("the output " + output + " is the input " + input +
                             ": writing it would replace the input; choose another output file");
    }
}

} // namespace wse
