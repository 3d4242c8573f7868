#pragma once
// Reading a file that may crash the library that parses it. HDF5 1.10 trusts much of a file's metadata:
// one damaged byte (a global heap length, a B-tree node) can make it crash or loop forever, and no
// check of ours can come first. So a reader can try the file in a forked child process first: if the
// child dies from a signal or runs past the time limit, the file is reported as damaged and this
// process never reads it; if it fails with a wse::Error, that message is rethrown here.
#include <functional>
#include <string>

namespace wse {

// fork() copies only the calling thread: a lock that another, working thread held at that moment stays
// locked in the child. So the host turns this on only where no other thread works while a file is
// read: the `wse` CLI. The explorer (jobs in threads) leaves it off; its reading belongs in worker
// processes. Off by default.
void setIsolatedReads(bool enabled);

// When isolated reads are on: runs `read` in a child process and returns once it succeeded there;
// throws the error it met there (FormatError naming `path` for a crash or a time-out) otherwise.
// When off: returns at once.
void tryReadInChildProcess(const std::string &path, const std::function<void()> &read, int timeoutSeconds = 30);

} // namespace wse
