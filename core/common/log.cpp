#include "common/log.h"

#include <iostream>
#include <mutex>

namespace wse {

namespace {

std::mutex gSinkMutex;

void defaultSink(LogLevel level, const std::string &message)
{
    if (level == LogLevel::Info)
        return;
    std::cerr << (level == LogLevel::Warning ? "warning: " : "error: ") << message << '\n';
}

LogSink &currentSink()
{
    static LogSink sink = defaultSink;
    return sink;
}

void emit(LogLevel level, const std::string &message)
{
    std::lock_guard<std::mutex> lock(gSinkMutex);
    if (currentSink())
        currentSink()(level, message);
}

} // namespace

LogSink setLogSink(LogSink sink)
{
    std::lock_guard<std::mutex> lock(gSinkMutex);
    LogSink previous = std::move(currentSink());
    currentSink() = std::move(sink);
    return previous;
}

void logInfo(const std::string &message) { emit(LogLevel::Info, message); }
void logWarning(const std::string &message) { emit(LogLevel::Warning, message); }
void logError(const std::string &message) { emit(LogLevel::Error, message); }

} // namespace wse
