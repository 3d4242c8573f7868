#pragma once
// Whole text files (JSON configurations, logs, CSV) in and out.
#include <string>

namespace wse {

// Throws IoError naming the file when it cannot be read.
std::string readTextFile(const std::string &path);
// Atomically (temporary file + rename). Throws IoError.
void writeTextFile(const std::string &path, const std::string &text);

// A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csvField(const std::string &text);

} // namespace wse
