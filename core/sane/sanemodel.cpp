#include "sane/sanemodel.h"

#include "sane/encoderfile.h"
#include "sane/sanenet_torch.h"
#include "torchutil/device.h"

namespace wse {

struct SaneModel::Impl
{
    std::string device;
    sane::SaneNet net{nullptr};
};

SaneModel::SaneModel(const SaneConfig &config, const std::string &device) : d(std::make_unique<Impl>())
{
    useAllCores();
    d->device = resolveDevice(device);
    torch::manual_seed(uint64_t(config.seed));
    d->net = sane::SaneNet(config);
    d->net->initialise();
    d->net->to(torch::Device(d->device));
    d->net->eval();
}

SaneModel::SaneModel(const SaneEncoder &encoder, const std::string &device) : d(std::make_unique<Impl>())
{
    useAllCores();
    d->device = resolveDevice(device);
    d->net = sane::SaneNet(encoder.config);
    sane::loadStateDict(*d->net, encoder.weights, "SANE encoder");
    d->net->to(torch::Device(d->device));
    d->net->eval();
}

SaneModel::~SaneModel() = default;

const SaneConfig &SaneModel::config() const { return d->net->config; }
const std::string &SaneModel::device() const { return d->device; }
sane::SaneNetImpl &SaneModel::net() { return *d->net; }

namespace {

torch::Tensor fromHost(const std::vector<float> &values, std::vector<int64_t> shape, const std::string &device)
{
    return torch::from_blob(const_cast<float *>(values.data()), shape, torch::kFloat32).to(torch::Device(device));
}

torch::Tensor positionsTensor(const std::vector<int32_t> &positions, int64_t batch, int64_t length, const std::string &device)
{
    return torch::from_blob(const_cast<int32_t *>(positions.data()), {batch, length, 3}, torch::kInt32)
        .to(torch::Device(device), torch::kLong);
}

std::vector<float> toHost(const torch::Tensor &tensor)
{
    const torch::Tensor cpu = tensor.to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
}

} // namespace

std::vector<float> SaneModel::encode(const std::vector<float> &tokens, const std::vector<int32_t> &positions,
                                     int64_t batch, int64_t length)
{
    torch::NoGradGuard noGrad;
    const SaneConfig &c = config();
    return toHost(d->net->encode(fromHost(tokens, {batch, length, c.tokenSize}, d->device),
                                 positionsTensor(positions, batch, length, d->device)));
}

std::vector<float> SaneModel::decode(const std::vector<float> &latents, const std::vector<int32_t> &positions,
                                     int64_t batch, int64_t length)
{
    torch::NoGradGuard noGrad;
    const SaneConfig &c = config();
    return toHost(d->net->decode(fromHost(latents, {batch, length, c.latent}, d->device),
                                 positionsTensor(positions, batch, length, d->device)));
}

StateDict SaneModel::stateDict() const { return sane::toStateDict(*d->net); }

} // namespace wse
