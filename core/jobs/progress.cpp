#include "jobs/progress.h"

#include "common/error.h"

#include <cmath>
#include <cstdio>

namespace wse {

ProgressReporter::ProgressReporter(ProgressCallback callback)
    : mCallback(std::move(callback))
    , mStart(std::chrono::steady_clock::now())
{}

void ProgressReporter::report(double fraction, const std::string &stage, const std::string &detail)
{
    ProgressInfo info;
    info.fraction = fraction;
    info.stage = stage;
    info.detail = detail;
    info.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - mStart).count();
    // ETA from the progress made since the first report (a resumed job starts part-way).
    if (mStartFraction < 0.0)
        mStartFraction = fraction;
    const double done = fraction - mStartFraction;
    if (done > 1e-6 && info.elapsedSeconds > 0.5)
        info.remainingSeconds = info.elapsedSeconds * (1.0 - fraction) / done;
    if (mCallback && !mCallback(info))
        mCancelled = true;
    throwIfCancelled();
}

void ProgressReporter::throwIfCancelled() const
{
    if (mCancelled)
        throw Cancelled();
}

void reportTo(ProgressReporter *progress, double fraction, const std::string &stage, const std::string &detail)
{
    if (progress)
        progress->report(fraction, stage, detail);
}

ProgressReporter partOf(ProgressReporter *parent, double from, double to)
{
    if (!parent)
        return ProgressReporter(ProgressCallback{});
    return ProgressReporter([parent, from, to](const ProgressInfo &info) {
        parent->report(from + (to - from) * info.fraction, info.stage, info.detail); // throws Cancelled
        return true;
    });
}

std::string formatDuration(double seconds)
{
    if (seconds < 0 || !std::isfinite(seconds))
        return "?";
    const long total = std::lround(seconds);
    char buffer[32];
    if (total >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
    return buffer;
}

} // namespace wse
