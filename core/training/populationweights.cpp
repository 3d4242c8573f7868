// A PopulationTrainer's weights in and out: flattened rows (state_dict order), masks that keep
// pruned weights at zero, predictions, and the exact training state to resume from.
#include "training/populationtrainer_torch.h"

#include "common/error.h"

namespace wse {

std::vector<float> PopulationTrainer::flatWeights() const
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor &p : d->params)
        flat.push_back(p.detach().reshape({d->k(), -1}));
    torch::Tensor rows = torch::cat(flat, 1).to(torch::kCPU).contiguous();
    return std::vector<float>(rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel());
}

void PopulationTrainer::setFlatWeights(const std::vector<float> &rows)
{
    if (int64_t(rows.size()) != d->k() * parameterCount())
        throw UsageError("population weights: " + std::to_string(rows.size()) + " values for " + std::to_string(d->k()) +
                         " models of " + std::to_string(parameterCount()) + " parameters");
    torch::NoGradGuard noGrad;
    const torch::Tensor all = torch::from_blob(const_cast<float *>(rows.data()), {d->k(), parameterCount()}, torch::kFloat32);
    int64_t offset = 0;
    for (size_t t = 0; t < d->params.size(); ++t) {
        torch::Tensor &p = d->params[t];
        const int64_t size = p.numel() / d->k();
        p.copy_(all.slice(1, offset, offset + size).reshape(p.sizes()));
        offset += size;
        d->moment1[t].zero_();
        d->moment2[t].zero_();
    }
    d->stepCount = 0;
}

std::vector<int32_t> PopulationTrainer::testPredictions(int64_t inputs)
{
    return predictPopulation([this](const torch::Tensor &x) { return d->forward(x, true, false); },
                             imagesOf(d->data.test).slice(0, 0, std::min(inputs, d->data.test.count)), d->k(), d->device.str());
}

StateDict PopulationTrainer::saveState() const
{
    StateDict state;
    for (size_t i = 0; i < d->params.size(); ++i) {
        state.entries.emplace_back("param." + std::to_string(i), toBuffer(d->params[i]));
        state.entries.emplace_back("moment1." + std::to_string(i), toBuffer(d->moment1[i]));
        state.entries.emplace_back("moment2." + std::to_string(i), toBuffer(d->moment2[i]));
    }
    state.entries.emplace_back("step", toBuffer(torch::tensor({d->stepCount}, torch::kInt64)));
    for (size_t m = 0; m < d->generators.size(); ++m)
        state.entries.emplace_back("generator." + std::to_string(m), toBuffer(d->generators[m].get_state()));
    return state;
}

void PopulationTrainer::loadState(const StateDict &state, const std::string &label)
{
    auto tensorOf = [&](const std::string &key, const torch::Tensor &like) { return fromBuffer(state, key, like, label); };
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < d->params.size(); ++i) {
        d->params[i].copy_(tensorOf("param." + std::to_string(i), d->params[i]));
        d->moment1[i].copy_(tensorOf("moment1." + std::to_string(i), d->moment1[i]));
        d->moment2[i].copy_(tensorOf("moment2." + std::to_string(i), d->moment2[i]));
    }
    d->stepCount = tensorOf("step", torch::zeros({1}, torch::kInt64))[0].item<int64_t>();
    for (size_t m = 0; m < d->generators.size(); ++m) {
        const torch::Tensor like = d->generators[m].get_state();
        d->generators[m].set_state(tensorOf("generator." + std::to_string(m), like));
    }
}

void PopulationTrainer::keepZeroWeightsZero()
{
    torch::NoGradGuard noGrad;
    d->flatMask = d->flatParams.detach().ne(0).to(torch::kFloat32);
}

} // namespace wse
