#pragma once
// PyTorch checkpoint files (.pt, torch.save zip format) holding a state_dict: read with the
// restricted unpickler, written so that torch.load + load_state_dict accept them.
#include "checkpoint/statedict.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

// Reads a state_dict: a dict or OrderedDict of tensors, or a training checkpoint whose "model"
// (or "state_dict" / "model_state_dict") entry is one — the other entries are skipped with a note.
// A safetensors file (told by its content, checkpoint/safetensors.h) is read as well.
// Throws IoError / FormatError naming the file and the problem.
StateDict readCheckpoint(const std::string &path);
StateDict readCheckpointBytes(std::vector<uint8_t> bytes, const std::string &label);

// Serialises in PyTorch's zip format (archive/data.pkl, archive/data/<i>, archive/version),
// entries aligned to 64 bytes as torch.save does. Key order and dtypes are preserved.
std::vector<uint8_t> serializeCheckpoint(const StateDict &stateDict);
// Writes atomically (temporary file + rename); a path ending in .safetensors gets a safetensors
// file (texts in its __metadata__). Throws IoError.
void writeCheckpoint(const std::string &path, const StateDict &stateDict);

} // namespace wse
