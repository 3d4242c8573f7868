#pragma once
// A progress line on stderr (redrawn in place on a terminal, one line per stage otherwise) and
// Ctrl-C handling: the first Ctrl-C asks the running job to stop cleanly.
#include "jobs/progress.h"

namespace wse {

class TerminalProgress
{
public:
    TerminalProgress();
    ~TerminalProgress(); // ends the line, restores the SIGINT handler

    ProgressCallback callback();
    static bool interrupted();

private:
    bool mTerminal;
    std::string mLastStage;
    int mLastPercent = -1;
    bool mOpenLine = false;
};

} // namespace wse
