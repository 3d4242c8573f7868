#include "common/atomicfile.h"

#include "common/error.h"
#include "common/filekind.h"
#include "common/numbertext.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <random>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace wse {

namespace fs = std::filesystem;

namespace {

constexpr const char *TemporaryMarker = ".tmp-";

std::string uniqueSuffix()
{
    std::random_device device;
    std::uniform_int_distribution<unsigned> digits(0, 0xFFFFFF);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s%d-%06x", TemporaryMarker, int(getpid()), digits(device));
    return buffer;
}

// Follows symbolic links (a chain of them, relative or absolute) to the file they name, which need not
// exist yet. Loops end in an error.
std::string resolveLinks(const std::string &path)
{
    fs::path current = path;
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code error;
        if (!fs::is_symlink(fs::symlink_status(current, error)))
            return current.string();
        const fs::path next = fs::read_symlink(current, error);
        if (error)
            throw IoError(path, "cannot follow the symbolic link: " + error.message());
        current = next.is_absolute() ? next : current.parent_path() / next;
    }
    throw IoError(path, "too many levels of symbolic links");
}

// "<name>.tmp-<pid>-<hex>" beside the target, left by a writer whose process no longer runs.
void removeStaleTemporaries(const std::string &target)
{
    const fs::path targetPath(target);
    const std::string prefix = targetPath.filename().string() + TemporaryMarker;
    const fs::path folder = targetPath.has_parent_path() ? targetPath.parent_path() : fs::path(".");
    DIR *directory = ::opendir(folder.c_str());
    if (!directory)
        return;
    while (const dirent *entry = ::readdir(directory)) {
        const std::string name = entry->d_name;
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        char *end = nullptr;
        const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
        if (pid <= 0 || !end || *end != '-' || pid == long(getpid()))
            continue;
        if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            ::unlink((folder / name).c_str());
    }
    ::closedir(directory);
}

// The new file gets the replaced file's mode and, where this process may give it away, its owner;
// a new file gets the usual mode under the umask (the temporary was created with it already).
void carryOverPermissions(const std::string &temporary, const std::string &target)
{
    struct stat replaced {};
    if (::stat(target.c_str(), &replaced) != 0)
        return;
    if (::chown(temporary.c_str(), replaced.st_uid, replaced.st_gid) != 0) {
        // Only root may give a file away; the file then belongs to whoever rewrote it.
    }
    ::chmod(temporary.c_str(), replaced.st_mode & 07777);
}

} // namespace

IoError writeFailure(const std::string &path, int errorNumber)
{
    std::string reason = std::string("write failed: ") + std::strerror(errorNumber);
    if (errorNumber == ENOSPC || errorNumber == EDQUOT || errorNumber == EFBIG) {
        const fs::path folder = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
        struct statvfs space {};
        if (::statvfs(folder.c_str(), &space) == 0)
            reason += " (" + byteSize(double(space.f_bavail) * double(space.f_frsize)) + " free in " +
                      folder.string() + ")";
        if (errorNumber == EFBIG)
            reason += "; the file is larger than this process may write (see 'ulimit -f')";
    }
    std::error_code exists;
    reason += fs::exists(path, exists) ? "; the existing file was left unchanged" : "; nothing was written";
    return IoError(path, reason);
}

AtomicFile::AtomicFile(std::string targetPath)
    : mTargetPath(resolveLinks(targetPath))
{
    checkOutputPath(mTargetPath, {});
    mTemporaryPath = mTargetPath + uniqueSuffix();
    removeStaleTemporaries(mTargetPath);
}

AtomicFile::~AtomicFile()
{
    if (mDescriptor >= 0)
        ::close(mDescriptor);
    if (!mCommitted)
        ::unlink(mTemporaryPath.c_str());
}

void AtomicFile::openForWriting()
{
    mDescriptor = ::open(mTemporaryPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (mDescriptor < 0)
        throw IoError(mTargetPath, std::string("cannot create a file in its folder: ") + std::strerror(errno));
}

void AtomicFile::write(const void *data, size_t size)
{
    if (mDescriptor < 0)
        openForWriting();
    const char *bytes = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t written = ::write(mDescriptor, bytes, size);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            throw writeFailure(mTargetPath, written < 0 ? errno : ENOSPC);
        bytes += written;
        size -= size_t(written);
    }
}

void AtomicFile::commit()
{
    if (mDescriptor >= 0) {
        const int descriptor = mDescriptor;
        mDescriptor = -1;
        const bool synced = ::fsync(descriptor) == 0;
        const int syncError = errno;
        if (::close(descriptor) != 0 || !synced)
            throw writeFailure(mTargetPath, synced ? errno : syncError);
    } else {
        // Written by another library (HDF5, LibTorch) through the temporary path.
        const int descriptor = ::open(mTemporaryPath.c_str(), O_RDONLY | O_CLOEXEC);
        if (descriptor < 0)
            throw IoError(mTargetPath, std::string("the temporary file was not written: ") + std::strerror(errno));
        const bool synced = ::fsync(descriptor) == 0;
        const int syncError = errno;
        ::close(descriptor);
        if (!synced)
            throw writeFailure(mTargetPath, syncError);
    }
    carryOverPermissions(mTemporaryPath, mTargetPath);
    if (::rename(mTemporaryPath.c_str(), mTargetPath.c_str()) != 0)
        throw IoError(mTargetPath, std::string("cannot move temporary file into place: ") + std::strerror(errno));
    mCommitted = true;
}

} // namespace wse
