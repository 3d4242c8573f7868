#include "terminalprogress.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace wse {

namespace {

std::atomic<bool> gInterrupted{false};

extern "C" void onSigint(int)
{
    gInterrupted = true;
    std::signal(SIGINT, SIG_DFL); // a second Ctrl-C kills at once
}

} // namespace

TerminalProgress::TerminalProgress()
    : mTerminal(::isatty(STDERR_FILENO) != 0)
{
    gInterrupted = false;
    std::signal(SIGINT, onSigint);
}

TerminalProgress::~TerminalProgress()
{
    if (mOpenLine)
        std::fputc('\n', stderr);
    std::signal(SIGINT, SIG_DFL);
}

bool TerminalProgress::interrupted() { return gInterrupted; }

ProgressCallback TerminalProgress::callback()
{
    return [this](const ProgressInfo &info) {
        const int percent = int(info.fraction * 100.0);
        const bool newStage = info.stage != mLastStage;
        if (mTerminal || newStage || percent / 10 != mLastPercent / 10) {
            char bar[21];
            const int filled = std::min(20, std::max(0, int(info.fraction * 20.0)));
            for (int i = 0; i < 20; ++i)
                bar[i] = i < filled ? '#' : '.';
            bar[20] = 0;
            std::fprintf(stderr, "%s[%s] %3d%%  %s  %s  elapsed %s  ETA %s%s", mTerminal ? "\r" : "", bar, percent,
                         info.stage.c_str(), info.detail.c_str(), formatDuration(info.elapsedSeconds).c_str(),
                         formatDuration(info.remainingSeconds).c_str(), mTerminal ? "\033[K" : "\n");
            std::fflush(stderr);
            mOpenLine = mTerminal;
        }
        mLastStage = info.stage;
        mLastPercent = percent;
        return !gInterrupted;
    };
}

} // namespace wse
