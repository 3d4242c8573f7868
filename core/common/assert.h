#pragma once
// Broken invariants are bugs: they abort with file and line, also in release builds.
#include <cstdio>
#include <cstdlib>

#define WSE_ASSERT(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                  \
        }                                                                                  \
    } while (0)
