#pragma once
// Writes go to a temporary file beside the target and are renamed into place on commit, so an
// interrupted or failed write never truncates or corrupts the user's existing file.
#include <string>

namespace wse {

class AtomicFile
{
public:
    explicit AtomicFile(std::string targetPath);
    ~AtomicFile(); // removes the temporary file unless commit() succeeded

    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    const std::string &temporaryPath() const { return mTemporaryPath; }
    const std::string &targetPath() const { return mTargetPath; }

    // Flushes the temporary file to disk and renames it over the target. Throws IoError.
    void commit();

private:
    std::string mTargetPath;
    std::string mTemporaryPath;
    bool mCommitted = false;
};

} // namespace wse
