#pragma once
// What kind of thing a path names, for refusing what is not a regular file with a clear message: a
// reader given a FIFO would block forever, and one given a directory or a device reads nonsense sizes.
#include <string>
#include <vector>

namespace wse {

// Throws IoError naming `path` unless it is a regular file or a link to one: "no such file",
// "it is a directory, not a file", ...
void requireRegularFile(const std::string &path);

// Checks an output path before any work is done: throws IoError when it exists and is not a regular
// file (writing /dev/null must not replace the device), and UsageError when it is the same file as one
// of `inputs` (by device and inode, so links and other spellings count): writing it would replace an
// input with the result.
void checkOutputPath(const std::string &output, const std::vector<std::string> &inputs);

} // namespace wse
