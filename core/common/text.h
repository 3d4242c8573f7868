#pragma once
// Small text helpers shared across core, the CLI and the explorer.
#include <string>

namespace wse {

bool endsWith(const std::string &text, const std::string &suffix);

// Now, in UTC, as ISO 8601 to the second ("2026-12-06T21:46:08Z"): the time stamps of our files.
std::string currentTimeIso();

} // namespace wse
