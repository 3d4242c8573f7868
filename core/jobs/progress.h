#pragma once
// Progress reporting and cancellation shared by the CLI and the GUI: a long job calls report()
// and stops (throws Cancelled) when the host's callback returns false.
#include <chrono>
#include <functional>
#include <string>

namespace wse {

struct ProgressInfo
{
    double fraction = 0.0;       // 0..1 of the whole job
    std::string stage;           // short, e.g. "epoch 2/5"
    std::string detail;          // longer, e.g. "48 models, train loss 0.61"
    double elapsedSeconds = 0.0;
    double remainingSeconds = -1.0; // < 0 while unknown
};

// Returns false to ask the job to stop.
using ProgressCallback = std::function<bool(const ProgressInfo &)>;

class ProgressReporter
{
public:
    explicit ProgressReporter(ProgressCallback callback);

    // Reports progress and throws Cancelled if the callback asks to stop.
    void report(double fraction, const std::string &stage, const std::string &detail = {});

    // Throws Cancelled if the last callback answer asked to stop (cheap; for inner loops).
    void throwIfCancelled() const;

private:
    ProgressCallback mCallback;
    std::chrono::steady_clock::time_point mStart;
    double mStartFraction = -1.0;
    bool mCancelled = false;
};

// Reports through `progress` when there is one (a job may run without a reporter).
void reportTo(ProgressReporter *progress, double fraction, const std::string &stage, const std::string &detail = {});

// A reporter for one part of a job: its fractions 0..1 map to [from, to] of `parent`'s, and
// cancelling the parent stops the part. With a null parent it reports nowhere.
ProgressReporter partOf(ProgressReporter *parent, double from, double to);

// "1:05", "12:00:03"; "?" for negative values.
std::string formatDuration(double seconds);

} // namespace wse
