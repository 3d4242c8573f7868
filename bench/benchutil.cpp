#include "benchutil.h"

#include <chrono>
#include <csignal>
#include <execinfo.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace wse::bench {

namespace {
// A benchmark that crashes on a remote machine should say where: line-buffered output and a
// backtrace on SIGSEGV/SIGABRT.
void onCrash(int signal)
{
    void *frames[64];
    const int count = backtrace(frames, 64);
    std::fprintf(stderr, "\n*** signal %d; backtrace:\n", signal);
    backtrace_symbols_fd(frames, count, 2);
    std::_Exit(128 + signal);
}
const bool crashHandlerInstalled = [] {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::signal(SIGSEGV, onCrash);
    std::signal(SIGABRT, onCrash);
    return true;
}();
} // namespace

Timing fromSamples(std::vector<double> samples)
{
    Timing timing;
    timing.samples = std::move(samples);
    for (double s : timing.samples)
        timing.mean += s / double(timing.samples.size());
    for (double s : timing.samples)
        timing.stddev += (s - timing.mean) * (s - timing.mean) / double(std::max<size_t>(timing.samples.size() - 1, 1));
    timing.stddev = std::sqrt(timing.stddev);
    return timing;
}

Timing fromText(const std::string &text)
{
    std::vector<double> samples;
    const char *cursor = text.c_str();
    for (char *end = nullptr;; cursor = end) {
        const double value = std::strtod(cursor, &end);
        if (end == cursor)
            break;
        samples.push_back(value);
    }
    return fromSamples(std::move(samples));
}

Timing measure(const std::function<void()> &work, int repetitions)
{
    work(); // warm-up: page cache, allocator, lazy initialisation
    std::vector<double> samples;
    for (int i = 0; i < repetitions; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        samples.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return fromSamples(std::move(samples));
}

static std::string quote(const std::string &text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string runPython(const std::string &script, const std::vector<std::string> &arguments)
{
    // WSE_PYTHON: another interpreter with torch (the GPU machine's python3 has CUDA torch).
    const char *python = std::getenv("WSE_PYTHON");
    return runInterpreter(std::string(python && *python ? python : "/usr/bin/python3") + " -c", script, arguments);
}

std::string runInterpreter(const std::string &interpreter, const std::string &script, const std::vector<std::string> &arguments)
{
    std::string command = interpreter + " " + quote(script);
    for (const std::string &argument : arguments)
        command += " " + quote(argument);
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe)
        throw std::runtime_error("cannot run " + interpreter);
    std::string out;
    char buffer[4096];
    while (size_t got = fread(buffer, 1, sizeof buffer, pipe.get()))
        out.append(buffer, got);
    if (pclose(pipe.release()) != 0)
        throw std::runtime_error(interpreter + " failed: " + command.substr(0, 200));
    return out;
}

std::string format(const Timing &timing, double scale, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f ± %.*f", decimals, timing.mean * scale, decimals, timing.stddev * scale);
    return buffer;
}

void printFooter()
{
    std::printf("\nbuild: %s, %s, commit %s\n", WSE_BUILD_TYPE, __VERSION__, WSE_COMMIT);
#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__)
    std::printf("WARNING: debug or sanitizer build: timings are not representative\n");
#endif
}

} // namespace wse::bench
