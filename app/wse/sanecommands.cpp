#include "sanecommands.h"

#include "terminalprogress.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/filekind.h"
#include "common/textfile.h"
#include "distributed/distributed.h"
#include "sane/saneimport.h"
#include "sane/sanetrainer.h"
#include "sane/tokenizer.h"
#include "sane/zooembedding.h"
#include "sane/zooprobe.h"
#include "torchutil/device.h"

#include <algorithm>
#include <cstring>
#include <iostream>
#include <memory>

namespace wse {

namespace {

struct TokenizeArguments
{
    std::string checkpoint, output;
    TokenizeOptions options;
};

// {"tokens": float32 [N, d_t], "mask": bool [N, d_t], "positions": int16 or int32 [N, 3]}, as the
// official code stores them (int16 positions when every value fits).
StateDict tokensAsStateDict(const TokenSequence &sequence)
{
    StateDict out;
    out.entries.emplace_back("tokens", TensorBuffer::fromFloat({sequence.count, sequence.tokenSize}, sequence.tokens.data()));
    TensorBuffer mask;
    mask.dtype = DType::Bool;
    mask.shape = {sequence.count, sequence.tokenSize};
    mask.bytes = sequence.mask;
    out.entries.emplace_back("mask", mask);
    TensorBuffer positions;
    const bool small = std::all_of(sequence.positions.begin(), sequence.positions.end(),
                                   [](int32_t v) { return v <= 32767; });
    positions.dtype = small ? DType::Int16 : DType::Int32;
    positions.shape = {sequence.count, 3};
    for (int32_t value : sequence.positions) {
        uint8_t bytes[4];
        std::memcpy(bytes, &value, 4);
        positions.bytes.insert(positions.bytes.end(), bytes, bytes + (small ? 2 : 4)); // little-endian
    }
    out.entries.emplace_back("positions", positions);
    return out;
}

struct TrainArguments
{
    SaneTrainOptions options;
    std::string preset = "small";
    std::string configPath;
    std::vector<std::string> settings;
};

void addImportCommand(CLI::App &sane)
{
    auto arguments = std::make_shared<SaneImportOptions>();
    auto output = std::make_shared<std::string>();
    CLI::App *command = sane.add_subcommand("import", "Convert an official SANE checkpoint (state.pt + params.json) into an encoder file");
    command->add_option("state", arguments->state, "Official state.pt (or a bare SANE state_dict)")->required();
    command->add_option("--params", arguments->params,
                        "params.json of the official run (ae:* keys, training::windowsize); default: found beside the "
                        "checkpoint or up to two folders above, with dataset_normalization_train.json");
    command->add_option("--normalization", arguments->normalization,
                        "dataset_normalization_train.json of the run (needed to embed real checkpoints)");
    command->add_option("--reference", arguments->reference, "A checkpoint of the zoo architecture (keys and shapes)");
    command->add_flag("--include-bn", arguments->includeBatchNorm, "The zoo was tokenised with batch-norm tensors (ignore_bn=False)");
    command->add_option("-o,--output", *output, "Encoder file (.pt)")->required();
    command->callback([arguments, output] {
        if (arguments->params.empty()) {
            const std::optional<SaneImportOptions> found = locateOfficialSane(arguments->state);
            if (!found)
                throw UsageError(arguments->state + ": no params.json with ae:* keys beside it or up to two folders above; "
                                                    "give --params");
            arguments->params = found->params;
            if (arguments->normalization.empty())
                arguments->normalization = found->normalization;
            std::cerr << "wse: using " << arguments->params
                      << (arguments->normalization.empty() ? std::string() : " and " + arguments->normalization) << "\n";
        }
        const SaneEncoder encoder = importOfficialSane(*arguments);
        encoder.write(*output);
        noteWritten(*output);
        std::cerr << "wse: wrote " << *output << " (" << encoder.weights.numel() << " parameters, id " << encoder.id() << ")\n";
        if (arguments->normalization.empty())
            std::cerr << "wse: warning: no --normalization: checkpoints will be embedded without the per-layer "
                         "standardisation the encoder was trained with\n";
        if (arguments->reference.empty())
            std::cerr << "wse: note: no --reference: the encoder accepts any architecture whose tokens fit it\n";
    });
}

void addTrainCommand(CLI::App &sane)
{
    auto arguments = std::make_shared<TrainArguments>();
    CLI::App *command = sane.add_subcommand("train", "Train a SANE encoder on a zoo (resumes when the run folder exists)");
    command->add_option("--zoo", arguments->options.zooPath, "Zoo file (.h5)")->required();
    command->add_option("--preset", arguments->preset, "small (CPU, minutes), tiny (tests), official-cnn, official-resnet")
        ->capture_default_str();
    command->add_option("--config", arguments->configPath,
                        "Start from a configuration file (a run's config.json) instead of a preset");
    command->add_option("--set", arguments->settings,
                        "Override a setting, e.g. --set epochs=60 --set window_size=32 (names as in the run's config.json)");
    command->add_option("--device", arguments->options.device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--precision", arguments->options.precision,
                        "fp32 or bf16 (mixed precision: bfloat16 matrix products, float32 weights; for CUDA)")
        ->capture_default_str();
    command->add_option("-o,--output", arguments->options.runDir, "Run folder (encoder.pt, log.json, checkpoints)")->required();
    command->callback([arguments] {
        SaneTrainOptions options = arguments->options;
        options.config = arguments->configPath.empty()
                             ? SaneConfig::preset(arguments->preset)
                             : SaneConfig::fromJson(readTextFile(arguments->configPath), arguments->configPath);
        for (const std::string &setting : arguments->settings) {
            const size_t equals = setting.find('=');
            if (equals == std::string::npos)
                throw UsageError("--set expects key=value, got '" + setting + "'");
            options.config.set(setting.substr(0, equals), setting.substr(equals + 1));
        }
        const DistributedContext world = DistributedContext::fromEnvironment();
        options.device = deviceOfRank(options.device, world);
        std::cerr << "wse: training SANE (" << arguments->preset << ") on " << describeDevice(options.device)
                  << (world.active() ? ", " + world.describe() : std::string()) << "\n";
        std::unique_ptr<ProcessGroup> group; // data-parallel under torchrun or srun
        if (world.active())
            group = std::make_unique<ProcessGroup>(world, options.device);
        TerminalProgress terminal;
        ProgressReporter progress(terminal.callback());
        const std::vector<SaneEpochLog> log = trainSane(options, &progress, group.get());
        if (group)
            group->barrier(); // the run folder is written when any process returns
        noteWritten(options.runDir);
        noteWritten(options.runDir + "/encoder.pt");
        if (!log.empty())
            std::cerr << "wse: epoch " << log.back().epoch << ": loss " << log.back().loss << ", validation loss "
                      << log.back().valLoss << "; encoder in " << options.runDir << "/encoder.pt\n";
    });
}

} // namespace

void addEmbedCommand(CLI::App &app)
{
    struct Arguments
    {
        std::string encoder, zoo, output;
        std::vector<std::string> checkpoints;
        EmbedOptions options;
    };
    auto arguments = std::make_shared<Arguments>();
    CLI::App *command = app.add_subcommand("embed", "Embed a zoo's checkpoints (or .pt files) with a SANE encoder");
    command->add_option("--sane", arguments->encoder, "Encoder file (from wse sane train or wse sane import)")->required();
    command->add_option("--zoo", arguments->zoo, "Zoo file (.h5)");
    command->add_option("checkpoints", arguments->checkpoints, "Checkpoint files (.pt) instead of a zoo");
    command->add_option("--mode", arguments->options.mode,
                        "full: the whole sequence in one pass (the official probe embedding); windowed: halo windows, bounded memory")
        ->capture_default_str();
    command->add_option("--window", arguments->options.content, "windowed: content tokens per window (0: half the training window)");
    command->add_option("--halo", arguments->options.halo, "windowed: context tokens on each side (-1: a quarter of the training window)");
    command->add_option("--batch-tokens", arguments->options.batchTokens,
                        "Tokens per encoder call (memory vs speed; 0: 4096 on CPU, 65536 on CUDA)")
        ->capture_default_str();
    command->add_option("--device", arguments->options.device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--precision", arguments->options.precision,
                        "fp32 (parity with the official code) or bf16 (mixed precision, for CUDA)")
        ->capture_default_str();
    command->add_option("--align", arguments->options.align,
                        "auto: align checkpoints to the encoder's reference when it was trained aligned; reference; none")
        ->capture_default_str();
    command->add_option("-o,--output", arguments->output, "Embeddings (.h5, or .csv)")->required();
    command->callback([arguments] {
        if (arguments->zoo.empty() == arguments->checkpoints.empty())
            throw UsageError("give either --zoo ZOO.h5 or checkpoint files");
        std::vector<std::string> inputs = arguments->checkpoints;
        inputs.push_back(arguments->zoo);
        inputs.push_back(arguments->encoder);
        checkOutputPath(arguments->output, inputs);
        Embeddings embeddings;
        if (!arguments->zoo.empty()) {
            TerminalProgress terminal;
            ProgressReporter progress(terminal.callback());
            std::vector<std::string> notes;
            const DistributedContext world = DistributedContext::fromEnvironment();
            if (world.active()) { // each process embeds its block; the sum over the processes is every row
                std::cerr << "wse: " << world.describe() << "\n";
                EmbedOptions options = arguments->options;
                options.device = deviceOfRank(options.device, world);
                ProcessGroup group(world, options.device);
                embeddings = embedZoo(arguments->encoder, arguments->zoo, options, &progress, &notes, {world.rank, world.worldSize});
                group.allReduceSum(embeddings.values.data(), int64_t(embeddings.values.size()));
                if (!world.leader())
                    return; // the first process writes
            } else {
                embeddings = embedZoo(arguments->encoder, arguments->zoo, arguments->options, &progress, &notes);
            }
            for (const std::string &note : notes)
                std::cerr << "wse: note: " << note << "\n";
        } else {
            embeddings = embedCheckpointFiles(arguments->encoder, arguments->checkpoints, arguments->options);
        }
        embeddings.write(arguments->output);
        noteWritten(arguments->output);
        std::cerr << "wse: wrote " << arguments->output << " (" << embeddings.count() << " checkpoints x " << embeddings.dims
                  << " dimensions)\n";
    });
}

void addProbeCommand(CLI::App &app)
{
    auto options = std::make_shared<ZooProbeOptions>();
    auto asJson = std::make_shared<bool>(false);
    CLI::App *command = app.add_subcommand("probe", "Linear probes of embeddings (R2 of accuracy, epoch, gap; accuracy of "
                                                    "categorical hyper-parameters) next to the layer-quintile and spectral (WeightWatcher) baselines");
    command->add_option("--zoo", options->zooPath, "Zoo file (.h5)")->required();
    command->add_option("--embeddings", options->embeddingsPath, "Embeddings (.h5) from wse embed")->required();
    command->add_option("--sane", options->encoderPath, "Encoder (default: the one that made the embeddings)");
    command->add_option("--targets", options->targets, "Numeric targets")->delimiter(',')->capture_default_str();
    command->add_option("--categorical", options->categorical, "Categorical targets")->delimiter(',')->capture_default_str();
    command->add_flag("--json", *asJson, "Print JSON instead of a table");
    command->callback([options, asJson] {
        const ZooProbeReport report = probeZoo(*options);
        std::cout << (*asJson ? report.toJson() + "\n" : report.toText());
    });
}

void addSaneCommands(CLI::App &app)
{
    CLI::App *sane = app.add_subcommand("sane", "SANE weight-space representations");
    sane->require_subcommand(1);
    auto tokenize = std::make_shared<TokenizeArguments>();
    CLI::App *command = sane->add_subcommand("tokenize", "Cut a checkpoint into SANE tokens (tokens, mask, positions)");
    command->add_option("checkpoint", tokenize->checkpoint, "Checkpoint (.pt state_dict)")->required();
    command->add_option("--tokensize", tokenize->options.tokenSize,
                        "Token size d_t (0: the official automatic choice, the longest row of a layer with a bias)")
        ->capture_default_str();
    command->add_flag("--include-bn", tokenize->options.includeBatchNorm, "Tokenise batch-norm parameters and statistics too");
    command->add_option("-o,--output", tokenize->output, "Tokens file (.pt: tokens, mask, positions)")->required();
    command->callback([tokenize] {
        checkOutputPath(tokenize->output, {tokenize->checkpoint});
        const TokenSequence sequence = wse::tokenize(readCheckpoint(tokenize->checkpoint), tokenize->options);
        writeCheckpoint(tokenize->output, tokensAsStateDict(sequence));
        noteWritten(tokenize->output);
        std::cerr << "wse: wrote " << tokenize->output << " (" << sequence.count << " tokens of size "
                  << sequence.tokenSize << ")\n";
    });
    addImportCommand(*sane);
    addTrainCommand(*sane);
}

} // namespace wse
