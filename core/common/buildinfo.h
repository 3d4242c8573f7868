#pragma once
// Which build this is: the version and the commit of the checkout it was built from ("unknown"
// for a source archive, "<hash>-modified" for uncommitted changes), for --version and About.
#include <string>

namespace wse {

std::string buildVersion();
std::string buildCommit();
// "0.1.0 (commit 8b3ca43)"
std::string buildDescription();
// The HDF5 library this process runs with, "1.10.8".
std::string hdf5Version();

} // namespace wse
