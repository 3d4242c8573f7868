#pragma once
// Errors carry the file they concern and the reason; each layer that rethrows adds context.
#include <stdexcept>
#include <string>

namespace wse {

class Error : public std::runtime_error
{
public:
    Error(std::string path, std::string reason);

    const std::string &path() const { return mPath; }
    const std::string &reason() const { return mReason; }

private:
    std::string mPath;
    std::string mReason;
};

// The file could not be opened, read or written.
class IoError : public Error
{
public:
    using Error::Error;
};

// The file was readable but its content is not what the format requires.
class FormatError : public Error
{
public:
    using Error::Error;
};

// A tensor or matrix has a shape other than the one expected.
class ShapeError : public Error
{
public:
    using Error::Error;
};

// Invalid user input (options, arguments) that concerns no file.
class UsageError : public Error
{
public:
    explicit UsageError(std::string reason) : Error({}, std::move(reason)) {}
};

// A long job was stopped because its progress callback asked to stop.
class Cancelled : public std::exception
{
public:
    const char *what() const noexcept override { return "cancelled"; }
};

} // namespace wse
