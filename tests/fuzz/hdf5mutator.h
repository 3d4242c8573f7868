#pragma once
// A structure-aware mutator for the HDF5 fuzzers: the fuzzer's bytes are read as a short program
// of edits made through the HDF5 library to a valid file of ours: remove a group, dataset or
// attribute; replace a dataset with one of any rank, shape (declared up to terabytes, stored as
// unwritten chunks), type and values; overwrite one element; grow a chunked dataset; replace an
// attribute with any number or text (including broken JSON and invalid UTF-8); splice bytes into a
// text attribute. The result is always a well-formed HDF5 file, so what is tested is our schema
// validation, not HDF5's own parser (whose crashes the readers survive by reading in a child
// process: core/common/isolatedread.h).
#include <cstddef>
#include <cstdint>
#include <string>

namespace wse::fuzz {

// Applies the edits encoded in `data` to the HDF5 file at `path` (opened read-write). Edits the
// library refuses are skipped. Returns the number of edits applied.
int mutateHdf5File(const std::string &path, const uint8_t *data, size_t size);

} // namespace wse::fuzz
