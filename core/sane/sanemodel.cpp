// Running the SANE network (sane/sanenet_torch.h): encoding, decoding, the training step (alone or
// data-parallel) and the training state.
#include "sane/sanemodel.h"

#include "sane/sanenet_torch.h"

#include "distributed/distributed.h"

#include "common/atomicfile.h"
#include "common/error.h"
#include "sane/encoderfile.h"
#include "torchutil/device.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>



namespace wse {

namespace {
// The training state's entry that holds the caller's progress, beside the weights in the same file.
constexpr const char *ProgressKey = "wse_progress";
} // namespace

struct SaneModel::Impl
{
    std::string device;
    std::string precision = "fp32";
    sane::SaneNet net{nullptr};
    std::unique_ptr<torch::optim::AdamW> optimizer; // created by the first training step or load
    ProcessGroup *group = nullptr; // data-parallel training with other processes

    torch::optim::AdamW &adamw()
    {
        if (!optimizer) { // AdamW: weight decay on matrices and embedding tables only (§5.4)
            const SaneConfig &c = net->config;
            std::vector<torch::Tensor> decayed, plain;
            for (const torch::Tensor &p : net->parameters())
                (p.dim() >= 2 ? decayed : plain).push_back(p);
            std::vector<torch::optim::OptimizerParamGroup> groups;
            groups.emplace_back(decayed, std::make_unique<torch::optim::AdamWOptions>(
                                             torch::optim::AdamWOptions(c.learningRate).weight_decay(c.weightDecay)));
            groups.emplace_back(plain, std::make_unique<torch::optim::AdamWOptions>(
                                           torch::optim::AdamWOptions(c.learningRate).weight_decay(0.0)));
            optimizer = std::make_unique<torch::optim::AdamW>(std::move(groups));
        }
        return *optimizer;
    }

    struct Losses
    {
        torch::Tensor total, reconstruction, contrastive;
    };

    Losses loss(const SaneBatch &b)
    {
        const SaneConfig &c = net->config;
        const torch::Device on(device);
        auto tokens = [&](const float *values) {
            return torch::from_blob(const_cast<float *>(values), {b.batch, b.window, c.tokenSize}, torch::kFloat32).to(on);
        };
        const torch::Tensor x = tokens(b.tokens);
        const torch::Tensor second = b.secondTokens ? tokens(b.secondTokens) : x;
        const torch::Tensor mask =
            torch::from_blob(const_cast<float *>(b.mask), {b.window, c.tokenSize}, torch::kFloat32).to(on);
        const torch::Tensor positions = torch::from_blob(const_cast<int32_t *>(b.positions), {b.window, 3}, torch::kInt32)
                                            .to(on, torch::kLong)
                                            .unsqueeze(0)
                                            .expand({b.batch, b.window, 3});
        const int64_t B = b.batch;
        const torch::Tensor xi = x * (1 + c.noise * torch::randn_like(x));
        const torch::Tensor xj = second * (1 + c.noise * torch::randn_like(second));
        const torch::Tensor both = torch::cat({xi, xj});
        const torch::Tensor p = torch::cat({positions, positions});
        Losses losses;
        if (group && group->size() > 1 && net->is_training())
            return lossOfShare(xi, xj, positions, mask);
        const torch::Tensor z = net->encode(both, p);
        const torch::Tensor y = net->decode(z, p);
        losses.reconstruction = (y * mask - both).pow(2).mean();
        losses.contrastive = contrastive(projected(z), B);
        losses.total = c.gamma * losses.contrastive + (1 - c.gamma) * losses.reconstruction;
        return losses;
    }

    torch::Tensor projected(const torch::Tensor &z)
    {
        return torch::nn::functional::normalize(net->project(z), torch::nn::functional::NormalizeFuncOptions().dim(1));
    }

    // NT-Xent over [view one of B samples; view two of them]: each row's positive is its other view.
    torch::Tensor contrastive(const torch::Tensor &projections, int64_t B) const
    {
        const auto on = projections.device();
        torch::Tensor similarity = projections.matmul(projections.t()) / net->config.temperature;
        similarity = similarity.masked_fill(torch::eye(2 * B, torch::TensorOptions().dtype(torch::kBool).device(on)),
                                            -std::numeric_limits<float>::infinity());
        const torch::Tensor targets = (torch::arange(2 * B, torch::TensorOptions().dtype(torch::kLong).device(on)) + B) % (2 * B);
        return torch::nn::functional::cross_entropy(similarity, targets,
                                                    torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
               double(2 * B);
    }

    // Data-parallel: this process encodes its share of the global batch (the same noise as one
    // process draws); the contrastive loss sees every process's projections (the others' as
    // constants), the reconstruction its share of the global mean. Summed over the processes, the
    // gradients are one process's.
    Losses lossOfShare(const torch::Tensor &xi, const torch::Tensor &xj, const torch::Tensor &positions,
                       const torch::Tensor &mask)
    {
        const SaneConfig &c = net->config;
        const int64_t B = xi.size(0), n = group->size(), r = group->rank();
        const int64_t lo = B * r / n, hi = B * (r + 1) / n, share = hi - lo;
        const torch::Tensor both = torch::cat({xi.slice(0, lo, hi), xj.slice(0, lo, hi)});
        const torch::Tensor p = positions.slice(0, 0, 2 * share);
        const torch::Tensor z = net->encode(both, p);
        const torch::Tensor y = net->decode(z, p);
        Losses losses;
        const torch::Tensor partial = (y * mask - both).pow(2).sum() / double(2 * B * both.size(1) * both.size(2));
        const torch::Tensor mine = projected(z).to(torch::kFloat32);
        // Every process's projections, in one process's row order, through one sum.
        torch::Tensor all = torch::zeros({2 * B, mine.size(1)}, torch::kFloat32);
        all.slice(0, lo, hi).copy_(mine.slice(0, 0, share).detach().cpu());
        all.slice(0, B + lo, B + hi).copy_(mine.slice(0, share, 2 * share).detach().cpu());
        group->allReduceSum(all.data_ptr<float>(), all.numel());
        all = all.to(mine.device());
        const torch::Tensor projections = torch::cat({all.slice(0, 0, lo), mine.slice(0, 0, share), all.slice(0, hi, B + lo),
                                                      mine.slice(0, share, 2 * share), all.slice(0, B + hi, 2 * B)});
        losses.contrastive = contrastive(projections, B);
        losses.reconstruction = partial;
        losses.total = c.gamma * losses.contrastive + (1 - c.gamma) * partial;
        return losses;
    }

    // After backward: every process's gradients added up, in buckets of at most 4M values.
    void addUpGradients()
    {
        std::vector<torch::Tensor> grads;
        for (const torch::Tensor &parameter : net->parameters())
            if (parameter.grad().defined())
                grads.push_back(parameter.grad());
        constexpr int64_t Bucket = int64_t(1) << 22;
        for (size_t first = 0; first < grads.size();) {
            size_t last = first;
            int64_t values = 0;
            while (last < grads.size() && (last == first || values + grads[last].numel() <= Bucket))
                values += grads[last++].numel();
            std::vector<torch::Tensor> flat;
            for (size_t i = first; i < last; ++i)
                flat.push_back(grads[i].reshape({-1}).to(torch::kCPU, torch::kFloat32));
            torch::Tensor bucket = torch::cat(flat).contiguous();
            group->allReduceSum(bucket.data_ptr<float>(), bucket.numel());
            int64_t offset = 0;
            for (size_t i = first; i < last; ++i) {
                grads[i].copy_(bucket.slice(0, offset, offset + grads[i].numel()).view_as(grads[i]));
                offset += grads[i].numel();
            }
            first = last;
        }
    }

    static SaneLosses values(const Losses &l)
    {
        return {l.total.item<double>(), l.reconstruction.item<double>(), l.contrastive.item<double>()};
    }
};

SaneModel::SaneModel(const SaneConfig &config, const std::string &device) : d(std::make_unique<Impl>())
{
    useAllCores();
    d->device = resolveDevice(device);
    torch::manual_seed(uint64_t(config.seed));
    d->net = sane::SaneNet(config, sane::DefaultDraws::Torch);
    d->net->initialise();
    d->net->to(torch::Device(d->device));
    d->net->eval();
}

SaneModel::SaneModel(const SaneEncoder &encoder, const std::string &device) : d(std::make_unique<Impl>())
{
    useAllCores();
    d->device = resolveDevice(device);
    d->net = sane::SaneNet(encoder.config, sane::DefaultDraws::Skip);
    sane::loadStateDict(*d->net, encoder.weights, "SANE encoder");
    d->net->to(torch::Device(d->device));
    d->net->eval();
}

SaneModel::~SaneModel() = default;

const SaneConfig &SaneModel::config() const { return d->net->config; }
const std::string &SaneModel::device() const { return d->device; }
void SaneModel::setPrecision(const std::string &precision) { d->precision = checkPrecision(precision); }
const std::string &SaneModel::precision() const { return d->precision; }

SaneLosses SaneModel::trainStep(const SaneBatch &batch, double learningRate, double beta1)
{
    torch::optim::AdamW &optimizer = d->adamw();
    for (auto &group : optimizer.param_groups()) {
        auto &options = static_cast<torch::optim::AdamWOptions &>(group.options());
        options.lr(learningRate);
        options.betas({beta1, 0.999});
    }
    d->net->train();
    Impl::Losses losses;
    {
        const MixedPrecisionScope mixed(d->device, d->precision); // the forward pass only, as torch.autocast
        losses = d->loss(batch);
    }
    optimizer.zero_grad();
    losses.total.backward();
    if (d->group && d->group->size() > 1) {
        d->addUpGradients();
        double shares[1] = {losses.reconstruction.item<double>()}; // the global batch's reconstruction
        d->group->allReduceSum(shares, 1);
        optimizer.step();
        const double contrastive = losses.contrastive.item<double>();
        const double gamma = d->net->config.gamma;
        return {gamma * contrastive + (1 - gamma) * shares[0], shares[0], contrastive};
    }
    optimizer.step();
    return Impl::values(losses);
}

SaneLosses SaneModel::evaluateBatch(const SaneBatch &batch)
{
    torch::NoGradGuard noGrad;
    const MixedPrecisionScope mixed(d->device, d->precision);
    d->net->eval();
    return Impl::values(d->loss(batch));
}

void SaneModel::trainWith(ProcessGroup *group)
{
    d->group = group;
    if (!group || group->size() < 2)
        return;
    // Every process starts from the first one's weights.
    for (torch::Tensor parameter : d->net->parameters()) {
        torch::NoGradGuard noGrad;
        torch::Tensor host = parameter.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        group->broadcast(host.data_ptr<float>(), host.numel(), 0);
        parameter.copy_(host.view_as(parameter));
    }
}

void SaneModel::seedNoise(uint64_t seed) { torch::manual_seed(seed); }

std::vector<int64_t> SaneModel::randomOrder(int64_t count)
{
    const torch::Tensor order = torch::randperm(count, torch::kLong);
    return std::vector<int64_t>(order.data_ptr<int64_t>(), order.data_ptr<int64_t>() + count);
}

int64_t SaneModel::randomBelow(int64_t upper) { return torch::randint(0, upper, {1}).item<int64_t>(); }

void SaneModel::saveTrainingState(const std::string &path, const std::string &progress)
{
    torch::serialize::OutputArchive archive;
    d->net->save(archive);
    d->adamw().save(archive);
    archive.write(ProgressKey, c10::IValue(progress));
    std::vector<uint8_t> bytes;
    archive.save_to([&bytes](const void *data, size_t size) {
        bytes.insert(bytes.end(), static_cast<const uint8_t *>(data), static_cast<const uint8_t *>(data) + size);
        return size;
    });
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

std::string SaneModel::loadTrainingState(const std::string &path)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        d->net->load(archive);
        d->adamw().load(archive);
        c10::IValue progress;
        if (archive.try_read(ProgressKey, progress) && progress.isString())
            return progress.toStringRef();
        return {};
    } catch (const c10::Error &error) {
        throw FormatError(path, std::string("training state does not fit this SANE configuration: ") + error.what_without_backtrace());
    }
}

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
    const MixedPrecisionScope mixed(d->device, d->precision);
    if (d->net->is_training()) // workers may encode side by side: no writes then
        d->net->eval();
    return toHost(d->net->encode(fromHost(tokens, {batch, length, config().tokenSize}, d->device),
                                 positionsTensor(positions, batch, length, d->device)));
}

std::vector<float> SaneModel::decode(const std::vector<float> &latents, const std::vector<int32_t> &positions,
                                     int64_t batch, int64_t length)
{
    torch::NoGradGuard noGrad;
    const MixedPrecisionScope mixed(d->device, d->precision);
    if (d->net->is_training()) // workers may encode side by side: no writes then
        d->net->eval();
    return toHost(d->net->decode(fromHost(latents, {batch, length, config().latent}, d->device),
                                 positionsTensor(positions, batch, length, d->device)));
}

StateDict SaneModel::stateDict() const { return sane::toStateDict(*d->net); }

} // namespace wse
