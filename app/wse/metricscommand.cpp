#include "metricscommand.h"

#include "analysis/spectral.h"
#include "common/error.h"
#include "common/filekind.h"
#include "jobs/progress.h"
#include "terminalprogress.h"
#include "zoo/zoostore.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace wse {

namespace {

struct MetricsArguments
{
    std::string zoo;
    std::string output; // empty: the zoo, rewritten in place
    bool spectral = false;
    int minEvals = DefaultMinEvals;
    bool json = false;
};

// Per layer of each architecture: how many eigenvalues, whether evaluable, and the mean alpha and
// log spectral norm over the checkpoints.
nlohmann::ordered_json layerTable(const Zoo &zoo, const std::vector<ModelSpectrum> &spectra)
{
    struct Sums { double alpha = 0, logSpectral = 0; int64_t count = 0; };
    nlohmann::ordered_json table = nlohmann::ordered_json::array();
    for (size_t a = 0; a < zoo.architectures.size(); ++a) {
        std::map<size_t, Sums> sums;
        const ModelSpectrum *example = nullptr;
        for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
            if (zoo.checkpointArchitecture(c) != int(a))
                continue;
            example = &spectra[size_t(c)];
            for (size_t l = 0; l < example->layers.size(); ++l)
                if (example->layers[l].evaluable) {
                    sums[l].alpha += example->layers[l].fit.alpha;
                    sums[l].logSpectral += example->layers[l].logSpectralNorm;
                    ++sums[l].count;
                }
        }
        for (size_t l = 0; example && l < example->layers.size(); ++l) {
            const LayerSpectrum &layer = example->layers[l];
            const Sums s = sums[l];
            table.push_back({{"architecture", zoo.architectures[a].name}, {"layer", layer.key}, {"shape", layer.shape},
                             {"eigenvalues", layer.eigenvalues}, {"evaluable", s.count > 0},
                             {"mean_alpha", s.count ? nlohmann::ordered_json(s.alpha / double(s.count)) : nullptr},
                             {"mean_log_spectral_norm",
                              s.count ? nlohmann::ordered_json(s.logSpectral / double(s.count)) : nullptr}});
        }
    }
    return table;
}

void printLayerTable(const nlohmann::ordered_json &table, int minEvals)
{
    std::printf("%-12s %-28s %-16s %7s  %-10s %10s %14s\n", "architecture", "layer", "shape", "evals", "evaluable",
                "mean alpha", "mean log10 max");
    for (const auto &row : table) {
        const bool evaluable = row["evaluable"].get<bool>();
        std::printf("%-12s %-28s %-16s %7lld  %-10s", row["architecture"].get<std::string>().c_str(),
                    row["layer"].get<std::string>().c_str(), row["shape"].get<std::string>().c_str(),
                    static_cast<long long>(row["eigenvalues"].get<int64_t>()), evaluable ? "yes" : "no");
        if (evaluable)
            std::printf(" %10.3f %14.3f\n", row["mean_alpha"].get<double>(), row["mean_log_spectral_norm"].get<double>());
        else
            std::printf(" %10s %14s\n", "-", "-");
    }
    std::printf("Layers with fewer than %d eigenvalues are not evaluable (a power law fitted to so few values is noise)"
                " and do not count in the model means.\n", minEvals);
}

void run(const MetricsArguments &arguments)
{
    if (!arguments.spectral)
        throw UsageError("say which metrics: --spectral (WeightWatcher's alpha, norms and stable rank)");
    if (arguments.minEvals < 2)
        throw UsageError("--min-evals must be at least 2");
    const std::string output = arguments.output.empty() ? arguments.zoo : arguments.output;
    if (output != arguments.zoo)
        checkOutputPath(output, {arguments.zoo});
    Zoo zoo = ZooStore::read(arguments.zoo);
    std::vector<ModelSpectrum> spectra;
    {
        TerminalProgress terminal;
        ProgressReporter progress(terminal.callback());
        spectra = zooSpectralMetrics(zoo, arguments.minEvals, &progress);
    }
    storeSpectralColumns(zoo, spectra);
    ZooStore::write(zoo, output);
    const nlohmann::ordered_json table = layerTable(zoo, spectra);
    if (arguments.json)
        std::cout << nlohmann::ordered_json{{"zoo", arguments.zoo}, {"min_evals", arguments.minEvals}, {"layers", table}}.dump(2)
                  << "\n";
    else
        printLayerTable(table, arguments.minEvals);
    std::cerr << "wse: stored ww_alpha, ww_alpha_weighted, ww_log_norm, ww_log_spectral_norm, ww_log_alpha_norm and "
                 "ww_stable_rank for " << zoo.checkpointCount() << " checkpoints in " << output << "\n";
    noteWritten(output);
}

} // namespace

void addZooMetricsCommand(CLI::App &zoo)
{
    auto arguments = std::make_shared<MetricsArguments>();
    CLI::App *command = zoo.add_subcommand(
        "metrics", "Data-free metrics of every checkpoint, stored as zoo columns: --spectral (WeightWatcher's alpha, "
                   "alpha-weighted, log norms, stable rank)");
    command->add_option("zoo", arguments->zoo, "Zoo file (updated in place, atomically)")->required();
    command->add_flag("--spectral", arguments->spectral, "Eigenvalue spectra of W^T W of every Linear and Conv2d layer");
    command->add_option("--min-evals", arguments->minEvals, "Layers with fewer eigenvalues are not evaluable")
        ->capture_default_str();
    command->add_flag("--json", arguments->json, "Print the per-layer table as JSON");
    command->add_option("-o,--output", arguments->output, "Write the zoo with the metrics here instead (default: the zoo itself)");
    command->callback([arguments] { run(*arguments); });
}

} // namespace wse
