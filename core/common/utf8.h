#pragma once
// Text read from files must be UTF-8 before it is shown, stored or written as JSON.
#include <cstddef>
#include <string>

namespace wse {

// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates and
// code points past U+10FFFF included), or std::string::npos when all of `text` is valid.
size_t firstInvalidUtf8(const std::string &text);

} // namespace wse
