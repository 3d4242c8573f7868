#include "common/isolatedread.h"

#include "common/error.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wse {

namespace {

// The child's exit status says which kind of error it met, so the parent throws the same kind.
enum ChildStatus { Read = 0, Format = 1, Io = 2, Shape = 3, Usage = 4, Other = 5 };

[[noreturn]] void runChild(int channel, const std::string &path, const std::function<void()> &read)
{
    std::string message;
    int status = Read;
    try {
        read();
    } catch (const Error &error) {
        message = error.path() == path ? error.reason() : std::string(error.what());
        status = dynamic_cast<const IoError *>(&error)      ? Io
                 : dynamic_cast<const ShapeError *>(&error) ? Shape
                 : dynamic_cast<const UsageError *>(&error) ? Usage
                                                            : Format;
    } catch (const std::exception &error) {
        message = error.what();
        status = Other;
    }
    for (size_t done = 0; done < message.size();) {
        const ssize_t written = ::write(channel, message.data() + done, message.size() - done);
        if (written <= 0)
            break;
        done += size_t(written);
    }
    ::_exit(status); // no exit handlers: the child shares nothing else with its parent
}

// Reads what the child says while waiting for it, at most `timeoutSeconds`. Returns its wait status,
// or -1 after killing it at the time limit.
int waitForChild(pid_t child, int channel, std::string &message, int timeoutSeconds)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
    int status = 0;
    while (true) {
        pollfd readable{channel, POLLIN, 0};
        if (::poll(&readable, 1, 20) > 0) {
            char buffer[4096];
            const ssize_t got = ::read(channel, buffer, sizeof buffer);
            if (got > 0)
                message.append(buffer, size_t(got));
        }
        const pid_t done = ::waitpid(child, &status, WNOHANG);
        if (done == child)
            break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            return -1;
        }
    }
    char buffer[4096];
    ssize_t got;
    while ((got = ::read(channel, buffer, sizeof buffer)) > 0)
        message.append(buffer, size_t(got));
    return status;
}

std::atomic<bool> gEnabled{false};

} // namespace

void setIsolatedReads(bool enabled) { gEnabled = enabled; }

void tryReadInChildProcess(const std::string &path, const std::function<void()> &read, int timeoutSeconds)
{
    if (!gEnabled)
        return;
    int channel[2];
    if (::pipe(channel) != 0)
        return; // cannot isolate: read as before
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(channel[0]);
        ::close(channel[1]);
        return;
    }
    if (child == 0) {
        ::close(channel[0]);
        runChild(channel[1], path, read);
    }
    ::close(channel[1]);
    std::string message;
    const int status = waitForChild(child, channel[0], message, timeoutSeconds);
    ::close(channel[0]);
    if (status == -1)
        throw FormatError(path, "damaged file: reading it did not finish in " + std::to_string(timeoutSeconds) +
                                    " s (the HDF5 library loops on it); nothing was read");
    if (WIFSIGNALED(status))
        throw FormatError(path, std::string("damaged file: reading it crashed the HDF5 library (") +
                                    strsignal(WTERMSIG(status)) + "); nothing was read");
    if (!WIFEXITED(status) || WEXITSTATUS(status) == Read)
        return;
    if (message.empty())
        message = "could not be read";
    switch (WEXITSTATUS(status)) {
    case Io: throw IoError(path, message);
    case Shape: throw ShapeError(path, message);
    case Usage: throw UsageError(message);
    default: throw FormatError(path, message);
    }
}

} // namespace wse
