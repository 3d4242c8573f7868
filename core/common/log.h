#pragma once
// Core logs through a sink that the host installs (CLI: stderr, GUI: the output dock, tests: capture).
#include <functional>
#include <string>

namespace wse {

enum class LogLevel { Info, Warning, Error };

using LogSink = std::function<void(LogLevel, const std::string &)>;

// Installs the sink and returns the previous one. The default sink writes warnings and errors to stderr.
LogSink setLogSink(LogSink sink);

void logInfo(const std::string &message);
void logWarning(const std::string &message);
void logError(const std::string &message);

} // namespace wse
