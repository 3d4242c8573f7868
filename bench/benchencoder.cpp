#include "benchencoder.h"

#include "sane/encoderfile.h"
#include "sane/sanemodel.h"
#include "zoo/architecture.h"

namespace wse::bench {

void writeRandomEncoder(const std::string &path, SaneConfig config)
{
    if (config.maxPositions[0] == 0)
        config.maxPositions = {48, 5, 20};
    SaneEncoder encoder;
    encoder.config = config;
    encoder.architecture = cnnSmall();
    for (const TensorSpec &tensor : encoder.architecture.tensors)
        if (tensor.key.find("weight") != std::string::npos)
            encoder.normalization.layers.push_back({tensor.key, 0.01, 0.2});
    encoder.weights = SaneModel(config, "cpu").stateDict();
    encoder.write(path);
}

} // namespace wse::bench
