#pragma once
// Imports a zoo in the official Model Zoos layout (a Ray Tune experiment folder: one sub-folder
// per model with params.json, result.json and checkpoint_<n>/checkpoints). Models that cannot be
// used are skipped and reported with the reason; the import carries on.
#include "jobs/progress.h"
#include "zoo/zoo.h"

#include <string>
#include <utility>
#include <vector>

namespace wse {

struct ImportReport
{
    int64_t modelsFound = 0;
    int64_t modelsImported = 0;
    int64_t checkpointsImported = 0;
    std::vector<std::pair<std::string, std::string>> skipped; // model folder, reason
};

// Throws IoError if the folder holds no model at all; Cancelled when the callback says stop.
Zoo importOfficialZoo(const std::string &folder, ImportReport &report, const ProgressCallback &progress = {});

// Makes JSON as Python writes it strict: bare NaN becomes null, Infinity and -Infinity the strings
// "Infinity" / "-Infinity" (read back as infinite metrics).
std::string pythonJsonToStrictJson(const std::string &text);

// "model::nlin" -> "activation" etc.: the official parameter names mapped to this program's
// columns; other names are kept as they are.
std::string columnForOfficialParameter(const std::string &name);

} // namespace wse
