#pragma once
// Writes go to a temporary file beside the target and are renamed into place on commit, so an
// interrupted or failed write never truncates or corrupts the user's existing file.
//
// The target is resolved first: a symbolic link is written through (the file it names is replaced),
// and anything that is not a regular file (a directory, device, FIFO or socket) is refused, so that
// `-o /dev/null` never replaces a device with a regular file. The replaced file's permission bits
// (and, where allowed, its owner) carry over to the new one. Temporary files left beside the target
// by an earlier writer that was killed are removed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wse {

class IoError;

class AtomicFile
{
public:
    // Throws IoError when the target exists and is not a regular file (or a link to one).
    explicit AtomicFile(std::string targetPath);
    ~AtomicFile(); // removes the temporary file unless commit() succeeded

    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    const std::string &temporaryPath() const { return mTemporaryPath; }
    // The file that commit() replaces: the given path, or the file its symbolic links lead to.
    const std::string &targetPath() const { return mTargetPath; }

    // Appends to the temporary file (created on first use); every byte is checked. Throws IoError.
    void write(const void *data, size_t size);
    void write(const std::vector<uint8_t> &bytes) { write(bytes.data(), bytes.size()); }
    void write(const std::string &text) { write(text.data(), text.size()); }

    // Flushes the temporary file to disk and renames it over the target. Throws IoError.
    void commit();

private:
    void openForWriting();

    std::string mTargetPath;
    std::string mTemporaryPath;
    int mDescriptor = -1;
    bool mCommitted = false;
};

// The error to report when writing `path` failed with `errorNumber`: the system's reason and, for a
// full disk or a file-size limit, the free space where the file was being written, and that the
// existing file was left as it was.
IoError writeFailure(const std::string &path, int errorNumber);

} // namespace wse
