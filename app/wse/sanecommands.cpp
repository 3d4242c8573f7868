#include "sanecommands.h"

#include "checkpoint/checkpointfile.h"
#include "sane/tokenizer.h"

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

} // namespace

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
        const TokenSequence sequence = wse::tokenize(readCheckpoint(tokenize->checkpoint), tokenize->options);
        writeCheckpoint(tokenize->output, tokensAsStateDict(sequence));
        std::cerr << "wse: wrote " << tokenize->output << " (" << sequence.count << " tokens of size "
                  << sequence.tokenSize << ")\n";
    });
}

} // namespace wse
