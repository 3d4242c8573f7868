#pragma once
// Whole text files (JSON configurations, logs) in and out.
#include <string>

namespace wse {

// Throws IoError naming the file when it cannot be read.
std::string readTextFile(const std::string &path);
// Atomically (temporary file + rename). Throws IoError.
void writeTextFile(const std::string &path, const std::string &text);

} // namespace wse
