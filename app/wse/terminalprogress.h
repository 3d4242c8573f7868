#pragma once
// What a job command tells whoever runs it, on stderr: a progress line (redrawn in place on a
// terminal, one line per stage otherwise), or with `--progress json` one JSON object per line —
// progress, warnings, the result paths, an error or a cancellation (docs/cli.md) — for the
// explorer and scripts. Ctrl-C or SIGTERM asks the running job to stop cleanly (what is finished
// is kept; the same command resumes); a second one kills at once.
#include "jobs/progress.h"

#include <string>
#include <vector>

namespace wse {

enum class ProgressFormat { Line, Json };
void setProgressFormat(ProgressFormat format);
ProgressFormat progressFormat();

// A file or folder the command wrote: the "result" event lists them when the command ends.
void noteWritten(const std::string &path);
const std::vector<std::string> &writtenPaths();

// The events of `--progress json` other than progress (write them in JSON format only: in line
// format the commands say these things in words).
void reportResult(const std::vector<std::string> &paths);
void reportMessage(const std::string &level, const std::string &message); // "warning", "info"
void reportFailure(const std::string &message, int exitStatus);
void reportCancelled();

class TerminalProgress
{
public:
    TerminalProgress();
    ~TerminalProgress(); // ends the line, restores the signal handlers

    ProgressCallback callback();
    static bool interrupted();

private:
    bool mTerminal;
    std::string mLastStage;
    int mLastPercent = -1;
    bool mOpenLine = false;
};

} // namespace wse
