// SampleOptions as JSON: the configuration a sampling job is run again from.
#include "sane/sampler.h"

#include "common/error.h"
#include "common/jsonread.h"

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
    j["provenance"] = provenance;
    j["control"] = control;
    j["mode"] = embed.mode;
    j["device"] = embed.device;
    j["precision"] = embed.precision;
    return j.dump(2) + "\n";
}

SampleOptions SampleOptions::fromJson(const std::string &text, const std::string &label, SampleOptions o)
{
    {
        const nlohmann::json j = jsonread::parseObject(text, label, "sampling configuration");
        for (const auto &[key, value] : j.items()) {
            if (key == "encoder") o.encoderPath = jsonread::get<std::string>(value, key, label);
            else if (key == "zoo") o.zooPath = jsonread::get<std::string>(value, key, label);
            else if (key == "anchors") o.anchors = jsonread::get<std::string>(value, key, label);
            else if (key == "count") o.count = jsonread::get<int64_t>(value, key, label);
            else if (key == "keep") o.keep = jsonread::get<int64_t>(value, key, label);
            else if (key == "bandwidth") o.bandwidth = jsonread::get<double>(value, key, label);
            else if (key == "seed") o.seed = jsonread::get<int64_t>(value, key, label);
            else if (key == "finetune_epochs") o.finetuneEpochs = jsonread::get<int>(value, key, label);
            else if (key == "bn_condition") o.bnConditionIterations = jsonread::get<int64_t>(value, key, label);
            else if (key == "provenance") o.provenance = jsonread::get<bool>(value, key, label);
            else if (key == "control") o.control = jsonread::get<std::string>(value, key, label);
            else if (key == "mode") o.embed.mode = jsonread::get<std::string>(value, key, label);
            else if (key == "device") o.embed.device = jsonread::get<std::string>(value, key, label);
            else if (key == "precision") o.embed.precision = jsonread::get<std::string>(value, key, label);
            else throw FormatError(label, "unknown key '" + key + "' in the sampling configuration");
        }
    }
    if (o.count > MaxCount)
        throw FormatError(label, "'count': " + std::to_string(o.count) + " networks; one run samples at most " +
                          std::to_string(MaxCount));
    return o;
}

} // namespace wse
