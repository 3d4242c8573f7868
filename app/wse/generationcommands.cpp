#include "generationcommands.h"

#include "terminalprogress.h"

#include "common/error.h"
#include "sane/decoder.h"
#include "sane/sampler.h"

#include <iostream>
#include <memory>

namespace wse {

namespace {

void addSampleCommand(CLI::App &app)
{
    auto options = std::make_shared<SampleOptions>();
    CLI::App *command = app.add_subcommand("sample", "Sample new networks around anchor checkpoints with a SANE encoder, "
                                                     "evaluate them and keep the best (writes a zoo file)");
    command->add_option("--sane", options->encoderPath, "Encoder file")->required();
    command->add_option("--zoo", options->zooPath, "Zoo file (.h5) the anchors come from")->required();
    command->add_option("--anchors", options->anchors,
                        "Filter expression choosing the anchors, e.g. 'test_acc >= 0.8 && activation == \"tanh\"' (default: all)");
    command->add_option("-n,--count", options->count, "Samples to draw")->capture_default_str();
    command->add_option("--keep", options->keep, "Samples kept (best validation accuracy)")->capture_default_str();
    command->add_option("--bandwidth", options->bandwidth, "KDE bandwidth in latent space")->capture_default_str();
    command->add_option("--seed", options->seed, "Random seed of the draws")->capture_default_str();
    command->add_option("--finetune", options->finetuneEpochs, "Fine-tune the kept samples for this many epochs")
        ->capture_default_str();
    command->add_option("--mode", options->embed.mode, "Encoding/decoding: full or windowed (halo)")->capture_default_str();
    command->add_option("--device", options->embed.device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--precision", options->embed.precision, "fp32 or bf16 (mixed precision, for CUDA)")->capture_default_str();
    command->add_option("--bn-condition", options->bnConditionIterations,
                        "BatchNorm re-estimation passes (batch 32, validation data) for networks with BN")
        ->capture_default_str();
    command->add_option("-o,--output", options->output, "Zoo file (.h5) of the samples")->required();
    command->callback([options] {
        SampleReport report;
        {
            TerminalProgress terminal;
            ProgressReporter progress(terminal.callback());
            report = sampleModels(*options, &progress);
        }
        std::cout << report.toText();
        std::cerr << "wse: wrote " << options->output << " (" << options->count << " samples, " << options->keep
                  << " kept; export one with: wse zoo export " << options->output << " --model sample-0000 --epoch 0 -o net.pt)\n";
    });
}

void addDecodeCommand(CLI::App &app)
{
    auto options = std::make_shared<DecodeOptions>();
    CLI::App *command = app.add_subcommand("decode", "Decode zoo checkpoints through a SANE encoder: the reconstruction of "
                                                     "one, or networks along the latent path between two (writes a zoo file)");
    command->add_option("--sane", options->encoderPath, "Encoder file")->required();
    command->add_option("--zoo", options->zooPath, "Zoo file (.h5)")->required();
    command->add_option("--from", options->from, "Checkpoint MODEL:EPOCH")->required();
    command->add_option("--to", options->to, "Second checkpoint MODEL:EPOCH: decode the path between them");
    command->add_option("--steps", options->steps, "Networks on the path, endpoints included")->capture_default_str();
    command->add_option("--mode", options->embed.mode, "Encoding/decoding: full or windowed (halo)")->capture_default_str();
    command->add_option("--device", options->embed.device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--precision", options->embed.precision, "fp32 or bf16 (mixed precision, for CUDA)")->capture_default_str();
    command->add_option("--bn-condition", options->bnConditionIterations,
                        "BatchNorm re-estimation passes (batch 32, validation data) for networks with BN")
        ->capture_default_str();
    command->add_option("-o,--output", options->output, "Zoo file (.h5) of the decoded networks")->required();
    command->callback([options] {
        DecodeReport report;
        {
            TerminalProgress terminal;
            ProgressReporter progress(terminal.callback());
            report = decodeCheckpoints(*options, &progress);
        }
        std::cout << report.toText();
        std::cerr << "wse: wrote " << options->output << " (" << report.points.size() << " decoded networks)\n";
    });
}

} // namespace

void addGenerationCommands(CLI::App &app)
{
    addSampleCommand(app);
    addDecodeCommand(app);
}

} // namespace wse
