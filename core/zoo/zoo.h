#pragma once
// A model zoo in memory: architectures with their weight matrices (one row per checkpoint), a
// table of models (one row per trained network: id, architecture, dataset, hyper-parameters) and a
// table of checkpoints (one row per saved state: model, epoch, weight row, metrics).
#include "zoo/architecture.h"
#include "zoo/table.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wse {

struct WeightMatrix
{
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<float> values; // row-major rows x cols

    const float *row(int64_t index) const { return values.data() + index * cols; }
    void appendRow(const float *data); // throws nothing; caller guarantees cols floats
};

// Column names the zoo always has. Everything else (hyper-parameters, metrics) is free-form.
namespace zoocol {
inline constexpr const char *ModelId = "model_id";         // models: text
inline constexpr const char *Architecture = "architecture"; // models: text, an Architecture::name
inline constexpr const char *Model = "model";               // checkpoints: index into models
inline constexpr const char *Epoch = "epoch";               // checkpoints
inline constexpr const char *WeightRow = "weight_row";      // checkpoints: row in its architecture's matrix
inline constexpr const char *StateDictKeys = "state_dict_keys"; // models: JSON key list when it differs from the architecture's
inline constexpr const char *Source = "source";             // models: where the model came from (path)
} // namespace zoocol

class Zoo
{
public:
    std::string name;
    std::string provenance; // JSON text: how the zoo was made (training config, import source)

    std::vector<Architecture> architectures;
    std::vector<WeightMatrix> weights; // parallel to architectures; may be empty when read lazily

    Table models;
    Table checkpoints;
    Table curves; // optional: per-model metrics of every logged epoch (model, epoch, metrics...)
    // Named binary blobs stored with the zoo (e.g. "training_state": what a resumed training
    // job needs). Readers that do not know a name ignore it.
    std::map<std::string, std::vector<uint8_t>> attachments;

    int64_t modelCount() const { return models.rowCount(); }
    int64_t checkpointCount() const { return checkpoints.rowCount(); }

    // Index of the architecture whose tensors have these shapes in this order; -1 if none.
    int architectureWithShapes(const std::vector<std::vector<int64_t>> &shapes) const;
    // Index of the architecture with this name; -1 if none.
    int architectureIndex(const std::string &name) const;
    // Adds an architecture (or returns the index of an identical one). Throws if the name is taken
    // by a different layout.
    int addArchitecture(const Architecture &architecture);

    // Architecture index of a checkpoint (through its model).
    int checkpointArchitecture(int64_t checkpoint) const;

    // Any column for every checkpoint: checkpoint columns as they are, model columns repeated for
    // each of the model's checkpoints. Throws UsageError naming the column if it exists in neither.
    Column checkpointColumn(const std::string &name) const;
    // One value of checkpointColumn(name) as a user reads it, without building the column.
    // Returns an empty string when the zoo has no such column.
    std::string checkpointValue(int64_t checkpoint, const std::string &name) const;
    // "MODEL:EPOCH", the name `wse decode --from` and the explorer give a checkpoint.
    std::string checkpointName(int64_t checkpoint) const;
    // Columns that are bookkeeping rather than data (ids, row indices, key lists, source paths).
    static bool isBookkeepingColumn(const std::string &name);
    // Names of all columns usable with checkpointColumn (checkpoint columns first).
    std::vector<std::string> checkpointColumnNames() const;

    // Checks that tables and matrices agree (row counts, indices in range). Throws FormatError.
    void validate(const std::string &pathForMessages) const;
};

} // namespace wse
