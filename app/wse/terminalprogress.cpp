#include "terminalprogress.h"

#include "distributed/distributed.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <iostream>
#include <streambuf>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace wse {

namespace {

std::atomic<bool> gInterrupted{false};
ProgressFormat gFormat = ProgressFormat::Line;

extern "C" void onSigint(int)
{
    gInterrupted = true;
    std::signal(SIGINT, SIG_DFL); // a second Ctrl-C kills at once
}

extern "C" void onSigterm(int)
{
    gInterrupted = true; // a clean stop, as a cancel or a batch system's notice asks for it
    std::signal(SIGTERM, SIG_DFL); // a second one kills at once
}

// Under torchrun or srun every process shares one stderr: the first speaks for all of them, the
// others only say why they failed.
bool follower()
{
    static const bool quiet = [] {
        try {
            return DistributedContext::fromEnvironment().rank > 0;
        } catch (const std::exception &) {
            return false;
        }
    }();
    return quiet;
}

// One event: a JSON object on one line of stderr, flushed at once (a reader may be waiting for it).
void writeEvent(nlohmann::ordered_json event)
{
    if (follower() && event["event"] != "error")
        return;
    const std::string line = event.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}

// Seconds, or null while unknown.
nlohmann::json seconds(double value)
{
    return value < 0 || !std::isfinite(value) ? nlohmann::json(nullptr) : nlohmann::json(std::round(value * 10.0) / 10.0);
}

// Text the commands write to std::cerr, one "message" event per line (their "wse: " dropped), so
// that in JSON format every line of stderr is one object.
class LinesAsEvents : public std::streambuf
{
protected:
    int overflow(int c) override
    {
        if (c == traits_type::eof())
            return traits_type::not_eof(c);
        if (c == '\n')
            flushLine();
        else
            mLine.push_back(char(c));
        return c;
    }
    std::streamsize xsputn(const char *text, std::streamsize count) override
    {
        for (std::streamsize i = 0; i < count; ++i)
            overflow(static_cast<unsigned char>(text[i]));
        return count;
    }
    int sync() override { return 0; } // a line is written when it ends

private:
    void flushLine()
    {
        std::string line = std::move(mLine);
        mLine.clear();
        if (line.rfind("wse: ", 0) == 0)
            line.erase(0, 5);
        if (line.rfind("warning: ", 0) == 0)
            reportMessage("warning", line.substr(9));
        else if (!line.empty())
            reportMessage("info", line);
    }

    std::string mLine;
};

} // namespace

std::vector<std::string> &written()
{
    static std::vector<std::string> paths;
    return paths;
}

void noteWritten(const std::string &path) { written().push_back(path); }
const std::vector<std::string> &writtenPaths() { return written(); }

void setProgressFormat(ProgressFormat format)
{
    gFormat = format;
    static LinesAsEvents lines;
    if (format == ProgressFormat::Json)
        std::cerr.rdbuf(&lines);
}
ProgressFormat progressFormat() { return gFormat; }

void reportResult(const std::vector<std::string> &paths)
{
    writeEvent({{"event", "result"}, {"paths", paths}, {"exit_status", 0}});
}

void reportMessage(const std::string &level, const std::string &message)
{
    writeEvent({{"event", "message"}, {"level", level}, {"message", message}});
}

void reportFailure(const std::string &message, int exitStatus)
{
    writeEvent({{"event", "error"}, {"message", message}, {"exit_status", exitStatus}});
}

void reportCancelled()
{
    writeEvent({{"event", "cancelled"}, {"exit_status", 130}});
}

TerminalProgress::TerminalProgress()
    : mTerminal(::isatty(STDERR_FILENO) != 0)
{
    gInterrupted = false;
    std::signal(SIGINT, onSigint);
    std::signal(SIGTERM, onSigterm);
}

TerminalProgress::~TerminalProgress()
{
    if (mOpenLine)
        std::fputc('\n', stderr);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

bool TerminalProgress::interrupted() { return gInterrupted; }

ProgressCallback TerminalProgress::callback()
{
    return [this](const ProgressInfo &info) {
        const int percent = int(info.fraction * 100.0);
        const bool newStage = info.stage != mLastStage;
        if (gFormat == ProgressFormat::Json) {
            if (newStage || percent != mLastPercent) // at most one event per stage and percent
                writeEvent({{"event", "progress"},
                            {"fraction", std::round(info.fraction * 1e4) / 1e4},
                            {"stage", info.stage},
                            {"detail", info.detail},
                            {"elapsed_s", seconds(info.elapsedSeconds)},
                            {"eta_s", seconds(info.remainingSeconds)}});
        } else if (!follower() && (mTerminal || newStage || percent / 10 != mLastPercent / 10)) {
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
