#include "prunecommand.h"

#include "terminalprogress.h"
#include "training/pruning.h"

#include <iostream>
#include <memory>

namespace wse {

void addZooPruneCommand(CLI::App &zoo)
{
    auto options = std::make_shared<PruneOptions>();
    CLI::App *command = zoo.add_subcommand(
        "prune", "Magnitude-pruned twins of checkpoints at chosen sparsities, evaluated (optionally fine-tuned with the "
                 "mask kept), written with their dense sources as a zoo the explorer links them in");
    command->add_option("zoo", options->zooPath, "Zoo file (.h5) trained by wse zoo train (its data evaluates the twins)")
        ->required();
    command->add_option("--sparsity", options->sparsities, "Shares of weights set to zero, one twin each")
        ->capture_default_str()
        ->expected(1, -1);
    CLI::Option *global = command->add_flag("--global", options->global,
                                            "One magnitude threshold over all layers' weights (torch's global_unstructured)");
    auto perLayer = std::make_shared<bool>(false); // the default, named for scripts that say it
    command->add_flag("--per-layer", *perLayer, "The same share of every layer's weights (the default; l1_unstructured)")
        ->excludes(global);
    command->add_option("--finetune", options->finetuneEpochs, "Fine-tune each twin this many epochs with its mask kept")
        ->capture_default_str();
    command->add_option("--checkpoints", options->checkpoints,
                        "Filter expression choosing the checkpoints to prune (default: each model's last epoch)");
    command->add_option("--device", options->device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("-o,--output", options->output, "Zoo file (.h5) of the dense sources and their twins")->required();
    command->callback([options, perLayer] {
        PruneReport report;
        {
            TerminalProgress terminal;
            ProgressReporter progress(terminal.callback());
            report = pruneCheckpoints(*options, &progress);
        }
        std::cout << report.toText();
        noteWritten(options->output);
        std::cerr << "wse: wrote " << options->output << " (" << report.twins.size()
                  << " pruned twins with their dense sources; each twin's source_checkpoint names its source)\n";
    });
}

} // namespace wse
