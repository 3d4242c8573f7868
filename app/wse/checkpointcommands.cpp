#include "checkpointcommands.h"

#include "checkpoint/checkpointfile.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace wse {

void addCheckpointCommands(CLI::App &app)
{
    CLI::App *checkpoint = app.add_subcommand("checkpoint", "Inspect PyTorch checkpoint files (.pt, .safetensors)");
    checkpoint->require_subcommand(1);
    auto path = std::make_shared<std::string>();
    auto asJson = std::make_shared<bool>(false);
    CLI::App *info = checkpoint->add_subcommand("info", "List a checkpoint's tensors (.pt state_dict or .safetensors): keys, shapes, dtypes, sizes, metadata");
    info->add_option("file", *path, "Checkpoint (.pt in torch.save's zip format, or .safetensors)")->required();
    info->add_flag("--json", *asJson, "Print JSON");
    info->callback([path, asJson] { printCheckpointSummary(*path, *asJson); });
}

void printCheckpointSummary(const std::string &path, bool asJson)
{
    const StateDict sd = readCheckpoint(path);
    if (asJson) {
        nlohmann::json j;
        j["file"] = path;
        j["numel"] = sd.numel();
        j["notes"] = sd.notes;
        j["metadata"] = nlohmann::json::object();
        for (const auto &[key, text] : sd.texts)
            j["metadata"][key] = text;
        j["tensors"] = nlohmann::json::array();
        for (const auto &[key, tensor] : sd.entries)
            j["tensors"].push_back({{"key", key}, {"shape", tensor.shape}, {"dtype", dtypeName(tensor.dtype)},
                                    {"numel", tensor.numel()}});
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << path << ": " << sd.entries.size() << " tensors, " << sd.numel() << " values\n";
    for (const std::string &note : sd.notes)
        std::cout << "  note: " << note << "\n";
    for (const auto &[key, text] : sd.texts)
        std::cout << "  metadata: " << key << " = " << (text.size() > 200 ? text.substr(0, 200) + "..." : text) << "\n";
    for (const auto &[key, tensor] : sd.entries)
        std::printf("  %-48s %-9s %-20s %lld\n", key.c_str(), dtypeName(tensor.dtype), tensor.shapeText().c_str(),
                    static_cast<long long>(tensor.numel()));
}

} // namespace wse
