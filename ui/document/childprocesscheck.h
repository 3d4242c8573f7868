#pragma once
// Trying a file in a child process before the explorer reads it: HDF5 1.10 can crash or loop on a
// damaged byte that no check of ours can see first, and the explorer's session must survive that.
// The child is `wse info --kind KIND FILE` (the same readers, in their own process); the explorer
// cannot fork itself safely while its jobs run in threads.
#include "formats/fileformat.h"

#include <QString>

namespace wse {

// Returns once a child process has read `path` as a file of `kind`; throws FormatError with the
// child's message (naming the file) when it refused the file, and "damaged file: ..." when the child
// crashed or ran past `timeoutSeconds`. Without a `wse` executable beside the explorer (or on PATH)
// it returns at once and the file is read unchecked.
void tryFileInChildProcess(const QString &path, FileKind kind, int timeoutSeconds = 120);

// The `wse` executable used for it: $WSE_EXECUTABLE, beside the explorer, in the build tree, or on
// PATH ("" if none).
QString wseExecutable();

} // namespace wse
