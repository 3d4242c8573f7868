#pragma once
// A SANE network ready to run (torch hidden): encode token windows to per-token latents and
// decode latents back to tokens, on the CPU or a CUDA device.
#include "checkpoint/statedict.h"
#include "sane/saneconfig.h"

#include <memory>
#include <string>
#include <vector>

namespace wse {

struct SaneEncoder;
namespace sane { struct SaneNetImpl; }

class SaneModel
{
public:
    // A freshly initialised network (official initialisation, seeded with config.seed).
    SaneModel(const SaneConfig &config, const std::string &device);
    // The encoder's weights; throws FormatError when they do not fit its configuration.
    SaneModel(const SaneEncoder &encoder, const std::string &device);
    ~SaneModel();
    SaneModel(const SaneModel &) = delete;
    SaneModel &operator=(const SaneModel &) = delete;

    const SaneConfig &config() const;
    const std::string &device() const;

    // tokens [batch, length, d_t] and positions [batch, length, 3] -> latents [batch, length, d_z].
    std::vector<float> encode(const std::vector<float> &tokens, const std::vector<int32_t> &positions, int64_t batch,
                              int64_t length);
    // latents [batch, length, d_z] -> tokens [batch, length, d_t].
    std::vector<float> decode(const std::vector<float> &latents, const std::vector<int32_t> &positions, int64_t batch,
                              int64_t length);

    StateDict stateDict() const;
    sane::SaneNetImpl &net(); // for the SANE internals (training)

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace wse
