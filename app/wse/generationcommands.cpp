#include "generationcommands.h"

#include "distributed/distributed.h"
#include "terminalprogress.h"

#include "common/error.h"
#include "common/textfile.h"
#include "sane/decoder.h"
#include "sane/sampler.h"

#include <functional>
#include <iostream>
#include <memory>

namespace wse {

namespace {

void addSampleCommand(CLI::App &app)
{
    auto options = std::make_shared<SampleOptions>();
    auto config = std::make_shared<std::string>();
    CLI::App *command = app.add_subcommand("sample", "Sample new networks around anchor checkpoints with a SANE encoder, "
                                                     "evaluate them and keep the best (writes a zoo file)");
    command->add_option("--config", *config,
                        "Sampling configuration (JSON, as the explorer's Sample wizard writes it); flags override it");
    // Each flag with the field it sets (`field(options)`), so that flags given override the configuration.
    std::vector<std::pair<CLI::Option *, std::function<void(SampleOptions &)>>> flags;
    auto flag = [&](const std::string &name, auto field, const std::string &help) {
        CLI::Option *option = command->add_option(name, field(*options), help)->capture_default_str();
        flags.emplace_back(option, [options, field](SampleOptions &target) { field(target) = field(*options); });
    };
    flag("--sane", [](SampleOptions &o) -> auto & { return o.encoderPath; },
         "Encoder file (required unless the configuration names it)");
    flag("--zoo", [](SampleOptions &o) -> auto & { return o.zooPath; },
         "Zoo file (.h5) the anchors come from (required unless the configuration names it)");
    flag("--anchors", [](SampleOptions &o) -> auto & { return o.anchors; },
         "Filter expression choosing the anchors, e.g. 'test_acc >= 0.8 && activation == \"tanh\"' (default: all)");
    flag("-n,--count", [](SampleOptions &o) -> auto & { return o.count; }, "Samples to draw");
    flag("--keep", [](SampleOptions &o) -> auto & { return o.keep; }, "Samples kept (best validation accuracy)");
    flag("--bandwidth", [](SampleOptions &o) -> auto & { return o.bandwidth; }, "KDE bandwidth in latent space");
    flag("--seed", [](SampleOptions &o) -> auto & { return o.seed; }, "Random seed of the draws");
    flag("--finetune", [](SampleOptions &o) -> auto & { return o.finetuneEpochs; },
         "Fine-tune the kept samples for this many epochs");
    flag("--mode", [](SampleOptions &o) -> auto & { return o.embed.mode; }, "Encoding/decoding: full or windowed (halo)");
    flag("--device", [](SampleOptions &o) -> auto & { return o.embed.device; }, "auto, cpu or cuda");
    flag("--precision", [](SampleOptions &o) -> auto & { return o.embed.precision; },
         "fp32 or bf16 (mixed precision, for CUDA)");
    flag("--control", [](SampleOptions &o) -> auto & { return o.control; },
         "copy: return the anchors themselves (neuron-permuted) instead of decoding - what a pure copier looks like "
         "in the provenance table");
    flag("--bn-condition", [](SampleOptions &o) -> auto & { return o.bnConditionIterations; },
         "BatchNorm re-estimation passes (batch 32, validation data) for networks with BN");
    auto noProvenance = std::make_shared<bool>(false);
    command->add_flag("--no-provenance", *noProvenance,
                      "Skip the provenance table (each sample's nearest zoo checkpoint, agreement and baselines)");
    command->add_option("-o,--output", options->output, "Zoo file (.h5) of the samples")->required();
    command->callback([options, config, flags, noProvenance] {
        SampleOptions run = *options;
        if (!config->empty()) {
            run = SampleOptions::fromJson(readTextFile(*config), *config, SampleOptions{});
            run.output = options->output;
            for (const auto &[option, copy] : flags)
                if (option->count() > 0)
                    copy(run);
        }
        if (*noProvenance)
            run.provenance = false;
        if (run.encoderPath.empty() || run.zooPath.empty())
            throw UsageError("wse sample needs --sane ENCODER.pt and --zoo ZOO.h5 (or a --config that names them)");
        SampleReport report;
        const DistributedContext world = DistributedContext::fromEnvironment();
        std::unique_ptr<ProcessGroup> group; // the samples' evaluation in blocks, under torchrun or srun
        if (world.active()) {
            run.embed.device = deviceOfRank(run.embed.device, world);
            group = std::make_unique<ProcessGroup>(world, run.embed.device);
        }
        {
            TerminalProgress terminal;
            ProgressReporter progress(terminal.callback());
            report = sampleModels(run, &progress, group.get());
        }
        if (group) {
            group->barrier(); // the zoo is written when any process returns
            if (!world.leader())
                return;
        }
        std::cout << report.toText();
        noteWritten(run.output);
        std::cerr << "wse: wrote " << run.output << " (" << run.count << " samples, " << run.keep
                  << " kept; export one with: wse zoo export " << run.output << " --model sample-0000 --epoch 0 -o net.pt)\n";
    });
}

void addDecodeCommand(CLI::App &app)
{
    auto options = std::make_shared<DecodeOptions>();
    CLI::App *command = app.add_subcommand("decode", "Decode zoo checkpoints through a SANE encoder: the reconstruction of "
                                                     "one, networks along the latent path between two, or a blend of several (writes a zoo file)");
    command->add_option("--sane", options->encoderPath, "Encoder file")->required();
    command->add_option("--zoo", options->zooPath, "Zoo file (.h5)")->required();
    auto blend = std::make_shared<std::vector<std::string>>();
    CLI::Option *from = command->add_option("--from", options->from, "Checkpoint MODEL:EPOCH");
    command->add_option("--to", options->to, "Second checkpoint MODEL:EPOCH: decode the path between them");
    CLI::Option *blendOption = command->add_option(
        "--blend", *blend, "MODEL:EPOCH=WEIGHT ...: one network from the weighted mean of these checkpoints' latents");
    from->excludes(blendOption);
    command->add_option("--steps", options->steps, "Networks on the path, endpoints included")->capture_default_str();
    command->add_option("--mode", options->embed.mode, "Encoding/decoding: full or windowed (halo)")->capture_default_str();
    command->add_option("--device", options->embed.device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--precision", options->embed.precision, "fp32 or bf16 (mixed precision, for CUDA)")->capture_default_str();
    command->add_option("--bn-condition", options->bnConditionIterations,
                        "BatchNorm re-estimation passes (batch 32, validation data) for networks with BN")
        ->capture_default_str();
    command->add_flag("--no-provenance", [options](int64_t) { options->provenance = false; },
                      "Skip the provenance table (each network's nearest zoo checkpoint, agreement and baselines)");
    command->add_option("-o,--output", options->output, "Zoo file (.h5) of the decoded networks")->required();
    command->callback([options, blend] {
        if (options->from.empty() && blend->empty())
            throw UsageError("wse decode needs --from MODEL:EPOCH (with --to for a path) or --blend MODEL:EPOCH=WEIGHT ...");
        for (const std::string &part : *blend) {
            const size_t equals = part.rfind('=');
            try {
                if (equals == std::string::npos)
                    throw std::invalid_argument(part);
                options->blend.emplace_back(part.substr(0, equals), std::stod(part.substr(equals + 1)));
            } catch (const std::logic_error &) {
                throw UsageError("--blend takes MODEL:EPOCH=WEIGHT (got '" + part + "')");
            }
        }
        DecodeReport report;
        {
            TerminalProgress terminal;
            ProgressReporter progress(terminal.callback());
            report = decodeCheckpoints(*options, &progress);
        }
        std::cout << report.toText();
        noteWritten(options->output);
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
