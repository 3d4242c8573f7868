#pragma once
// Named moments at which tests kill the process, to prove that a kill at that instant loses nothing
// (the interruption soak kills right after each state save). WSE_CRASH_AT=<name>[:<n>] makes the
// n-th time (default: the first) the process reaches `name` end it with SIGKILL, as `kill -9` would.
// Without the variable this is one getenv per call, at save points only.
namespace wse {

void crashPoint(const char *name);

} // namespace wse
