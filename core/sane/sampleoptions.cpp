// SampleOptions as JSON: the configuration a sampling job is run again from.
#include "sane/sampler.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

namespace wse {

std::string SampleOptions::toJson() const
{
    nlohmann::ordered_json j;
    j["encoder"] = encoderPath;
    j["zoo"] = zooPath;
    j["anchors"] = anchors;
    j["count"] = count;
    j["keep"] = keep;
    j["bandwidth"] = bandwidth;
    j["seed"] = seed;
    j["finetune_epochs"] = finetuneEpochs;
    j["bn_condition"] = bnConditionIterations;
    j["mode"] = embed.mode;
    j["device"] = embed.device;
    j["precision"] = embed.precision;
    return j.dump(2) + "\n";
}

SampleOptions SampleOptions::fromJson(const std::string &text, const std::string &label, SampleOptions o)
{
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (!j.is_object())
            throw FormatError(label, "a sampling configuration is a JSON object");
        for (const auto &[key, value] : j.items()) {
            if (key == "encoder") o.encoderPath = value.get<std::string>();
            else if (key == "zoo") o.zooPath = value.get<std::string>();
            else if (key == "anchors") o.anchors = value.get<std::string>();
            else if (key == "count") o.count = value.get<int64_t>();
            else if (key == "keep") o.keep = value.get<int64_t>();
            else if (key == "bandwidth") o.bandwidth = value.get<double>();
            else if (key == "seed") o.seed = value.get<int64_t>();
            else if (key == "finetune_epochs") o.finetuneEpochs = value.get<int>();
            else if (key == "bn_condition") o.bnConditionIterations = value.get<int64_t>();
            else if (key == "mode") o.embed.mode = value.get<std::string>();
            else if (key == "device") o.embed.device = value.get<std::string>();
            else if (key == "precision") o.embed.precision = value.get<std::string>();
            else throw FormatError(label, "unknown key '" + key + "' in the sampling configuration");
        }
    } catch (const nlohmann::json::exception &error) {
        throw FormatError(label, std::string("invalid sampling configuration: ") + error.what());
    }
    return o;
}

} // namespace wse
