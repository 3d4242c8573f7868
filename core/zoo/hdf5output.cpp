#include "zoo/hdf5output.h"

#include "common/atomicfile.h"
#include "common/error.h"

#include <H5FDpublic.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wse::hdf5 {

namespace {

// What the writer learns from the driver: the first write error, and the bytes HDF5 wrote after it.
struct WriteStatus
{
    int error = 0;
    struct Segment
    {
        haddr_t address;
        std::vector<uint8_t> bytes;
    };
    std::vector<Segment> unwritten; // in write order, so later writes win on reading back
};

// The driver's file-access property: where its files report to.
struct DriverInfo
{
    WriteStatus *status;
};

struct CheckedFile
{
    H5FD_t base; // first member: HDF5 sees a CheckedFile as its H5FD_t
    int descriptor = -1;
    dev_t device = 0;
    ino_t inode = 0;
    haddr_t endOfAllocation = 0;
    haddr_t endOfFile = 0;
    WriteStatus *status = nullptr;
};

CheckedFile *checked(H5FD_t *file) { return reinterpret_cast<CheckedFile *>(file); }
const CheckedFile *checked(const H5FD_t *file) { return reinterpret_cast<const CheckedFile *>(file); }

void recordError(CheckedFile &file, int error)
{
    if (file.status->error == 0)
        file.status->error = error ? error : EIO;
}

void *copyInfo(const void *info) { return new DriverInfo(*static_cast<const DriverInfo *>(info)); }
herr_t freeInfo(void *info)
{
    delete static_cast<DriverInfo *>(info);
    return 0;
}
void *fileInfo(H5FD_t *file) { return new DriverInfo{checked(file)->status}; }

H5FD_t *openFile(const char *name, unsigned flags, hid_t access, haddr_t)
{
    const auto *info = static_cast<const DriverInfo *>(H5Pget_driver_info(access));
    if (!info || !info->status)
        return nullptr;
    int mode = (flags & H5F_ACC_RDWR) ? O_RDWR : O_RDONLY;
    if (flags & H5F_ACC_TRUNC)
        mode |= O_TRUNC;
    if (flags & H5F_ACC_CREAT)
        mode |= O_CREAT;
    if (flags & H5F_ACC_EXCL)
        mode |= O_EXCL;
    const int descriptor = ::open(name, mode | O_CLOEXEC, 0666);
    struct stat status {};
    if (descriptor < 0 || ::fstat(descriptor, &status) != 0) {
        if (flags & H5F_ACC_CREAT) // HDF5 first probes whether the file exists: that may fail
            info->status->error = errno;
        if (descriptor >= 0)
            ::close(descriptor);
        return nullptr;
    }
    auto *file = new CheckedFile{};
    file->descriptor = descriptor;
    file->device = status.st_dev;
    file->inode = status.st_ino;
    file->endOfFile = haddr_t(status.st_size);
    file->status = info->status;
    return &file->base;
}

herr_t closeFile(H5FD_t *handle)
{
    CheckedFile *file = checked(handle);
    if (::close(file->descriptor) != 0)
        recordError(*file, errno);
    delete file;
    return 0;
}

int compareFiles(const H5FD_t *a, const H5FD_t *b)
{
    const auto key = [](const H5FD_t *f) { return std::make_pair(checked(f)->device, checked(f)->inode); };
    return key(a) < key(b) ? -1 : key(b) < key(a) ? 1 : 0;
}

herr_t queryFeatures(const H5FD_t *, unsigned long *flags)
{
    *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA | H5FD_FEAT_DATA_SIEVE |
             H5FD_FEAT_AGGREGATE_SMALLDATA;
    return 0;
}

haddr_t endOfAllocation(const H5FD_t *file, H5FD_mem_t) { return checked(file)->endOfAllocation; }
herr_t setEndOfAllocation(H5FD_t *file, H5FD_mem_t, haddr_t address)
{
    checked(file)->endOfAllocation = address;
    return 0;
}
haddr_t endOfFile(const H5FD_t *file, H5FD_mem_t) { return checked(file)->endOfFile; }

herr_t fileHandle(H5FD_t *file, hid_t, void **handle)
{
    *handle = &checked(file)->descriptor;
    return 0;
}

herr_t readBytes(H5FD_t *handle, H5FD_mem_t, hid_t, haddr_t address, size_t size, void *buffer)
{
    CheckedFile *file = checked(handle);
    if (address > haddr_t(INT64_MAX) - size)
        return -1;
    auto *out = static_cast<uint8_t *>(buffer);
    size_t done = 0;
    while (done < size) {
        const ssize_t got = ::pread(file->descriptor, out + done, size - done, off_t(address + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        done += size_t(got);
    }
    std::fill(out + done, out + size, uint8_t(0)); // past the end of the file reads as zeros
    for (const WriteStatus::Segment &segment : file->status->unwritten) {
        const haddr_t begin = std::max(address, segment.address);
        const haddr_t end = std::min(address + size, segment.address + segment.bytes.size());
        if (begin < end)
            std::memcpy(out + (begin - address), segment.bytes.data() + (begin - segment.address), end - begin);
    }
    return 0;
}

bool writeToDisk(CheckedFile &file, haddr_t address, size_t size, const uint8_t *bytes)
{
    while (size > 0) {
        const ssize_t written = ::pwrite(file.descriptor, bytes, size, off_t(address));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            recordError(file, written < 0 ? errno : ENOSPC);
            return false;
        }
        bytes += written;
        address += haddr_t(written);
        size -= size_t(written);
    }
    return true;
}

herr_t writeBytes(H5FD_t *handle, H5FD_mem_t, hid_t, haddr_t address, size_t size, const void *buffer)
{
    CheckedFile *file = checked(handle);
    if (address > haddr_t(INT64_MAX) - size)
        return -1;
    const auto *bytes = static_cast<const uint8_t *>(buffer);
    if (file->status->error != 0 || !writeToDisk(*file, address, size, bytes))
        file->status->unwritten.push_back({address, std::vector<uint8_t>(bytes, bytes + size)});
    file->endOfFile = std::max(file->endOfFile, address + size);
    return 0;
}

herr_t truncateFile(H5FD_t *handle, hid_t, hbool_t)
{
    CheckedFile *file = checked(handle);
    if (file->endOfAllocation == file->endOfFile)
        return 0;
    if (file->status->error == 0 && ::ftruncate(file->descriptor, off_t(file->endOfAllocation)) != 0)
        recordError(*file, errno);
    file->endOfFile = file->endOfAllocation;
    return 0;
}

hid_t checkedDriver()
{
    static const H5FD_class_t driverClass = [] {
        H5FD_class_t c{};
        c.name = "wse-checked-posix";
        c.maxaddr = haddr_t(INT64_MAX);
        c.fc_degree = H5F_CLOSE_STRONG;
        c.fapl_size = sizeof(DriverInfo);
        c.fapl_get = fileInfo;
        c.fapl_copy = copyInfo;
        c.fapl_free = freeInfo;
        c.open = openFile;
        c.close = closeFile;
        c.cmp = compareFiles;
        c.query = queryFeatures;
        c.get_eoa = endOfAllocation;
        c.set_eoa = setEndOfAllocation;
        c.get_eof = endOfFile;
        c.get_handle = fileHandle;
        c.read = readBytes;
        c.write = writeBytes;
        c.truncate = truncateFile;
        for (H5FD_mem_t &map : c.fl_map)
            map = H5FD_MEM_SUPER;
        return c;
    }();
    static const hid_t id = H5FDregister(&driverClass);
    return id;
}

} // namespace

void writeFileAtomically(const std::string &path, const std::function<void(H5::H5File &)> &body)
{
    H5::Exception::dontPrint();
    AtomicFile output(path);
    WriteStatus status;
    try {
        H5::FileAccPropList access;
        const DriverInfo info{&status};
        if (checkedDriver() < 0 || H5Pset_driver(access.getId(), checkedDriver(), &info) < 0)
            throw IoError(path, "cannot set up HDF5's file driver");
        access.setFcloseDegree(H5F_CLOSE_STRONG);
        H5::H5File file(output.temporaryPath(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
        body(file);
        file.close();
    } catch (const H5::Exception &error) {
        if (status.error == 0)
            throw IoError(path, "writing HDF5 failed: " + error.getDetailMsg());
    }
    if (status.error != 0)
        throw writeFailure(path, status.error);
    output.commit();
}

} // namespace wse::hdf5
