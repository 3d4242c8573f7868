#pragma once
// Writing an HDF5 file of ours (zoo, workspace, embeddings) so that a full disk, a file-size limit or any
// other write error leaves the existing file untouched and is reported, never committed.
//
// HDF5 writes much of a file when objects close, inside C++ destructors that swallow errors, and once a
// close has failed the library is left inconsistent (it crashes at exit). So the file is written through
// a small POSIX driver of ours that never reports a failed write to HDF5: it remembers the first error,
// keeps what HDF5 writes afterwards in memory (so that HDF5 reads back what it wrote and closes cleanly),
// and the writer throws that error after the close instead of committing.
#include <H5Cpp.h>

#include <functional>
#include <string>

namespace wse::hdf5 {

// Creates `path` atomically: `body` fills the new file; every HDF5 object it opens must be closed when
// it returns. Throws IoError naming `path` (with the free space for a full disk) when anything failed.
void writeFileAtomically(const std::string &path, const std::function<void(H5::H5File &)> &body);

} // namespace wse::hdf5
