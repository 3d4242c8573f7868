#pragma once
// What kind of thing a path names, for refusing what is not a regular file with a clear message: a
// reader given a FIFO would block forever, and one given a directory or a device reads nonsense sizes.
#include <string>

namespace wse {

// For an existing path that is not a regular file (after following links): "a directory", "a device",
// "a FIFO (named pipe)", "a socket". Empty for a regular file or a path that does not exist.
std::string specialFileKind(const std::string &path);

// Throws IoError naming `path` unless it is a regular file or a link to one: "no such file",
// "it is a directory, not a file", ...
void requireRegularFile(const std::string &path);

} // namespace wse
