#pragma once
// Shared by the benchmarks: repetition statistics, the Python baseline runner, the report footer.
#include <functional>
#include <string>
#include <vector>

namespace wse::bench {

struct Timing
{
    double mean = 0.0;
    double stddev = 0.0;
    std::vector<double> samples;
};

// Mean and sample standard deviation of timings in seconds.
Timing fromSamples(std::vector<double> samples);
// The same, from whitespace-separated numbers (a baseline script's output).
Timing fromText(const std::string &text);

// One warm-up, then `repetitions` timed runs of `work` (seconds each).
Timing measure(const std::function<void()> &work, int repetitions);

// Runs /usr/bin/python3 (or $WSE_PYTHON) on a script (arguments appended); returns its stdout, throws on failure.
std::string runPython(const std::string &script, const std::vector<std::string> &arguments);
// The same for another interpreter's inline-script command, e.g. "Rscript -e" (arguments after it).
std::string runInterpreter(const std::string &interpreter, const std::string &script, const std::vector<std::string> &arguments);

// "12.3 ± 0.4"
std::string format(const Timing &timing, double scale = 1.0, int decimals = 3);

// Prints build type, compiler, commit and a warning for debug or sanitizer builds.
void printFooter();

} // namespace wse::bench
