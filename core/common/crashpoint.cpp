#include "common/crashpoint.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

namespace wse {

void crashPoint(const char *name)
{
    static const char *wanted = std::getenv("WSE_CRASH_AT");
    if (!wanted)
        return;
    const char *colon = std::strchr(wanted, ':');
    const std::string wantedName = colon ? std::string(wanted, colon) : std::string(wanted);
    if (wantedName != name)
        return;
    static std::atomic<long> reached{0};
    const long occurrence = colon ? std::atol(colon + 1) : 1;
    if (++reached == occurrence)
        std::raise(SIGKILL);
}

} // namespace wse
