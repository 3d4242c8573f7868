// How provenance figures are shown (wse sample / wse decode print this; the explorer's report
// shows the same text) and stored (model columns of the generated networks' zoo file).
#include "sane/provenance.h"

#include <algorithm>
#include <cstdio>

namespace wse {

namespace {

std::string number(double value, const char *format = "%.3f")
{
    if (!std::isfinite(value))
        return "-";
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

std::string nameOf(const ProvenanceZoo &zoo, int64_t index)
{
    return index >= 0 && index < zoo.count() ? zoo.names[size_t(index)] : "-";
}

std::string padded(std::string text, size_t width)
{
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text + " ";
}

// One summary line: the medians of one kind of network (the generated ones or a baseline).
std::string summaryLine(const std::string &label, const std::vector<const ProvenanceFigures *> &figures)
{
    std::vector<double> weight, latent, agreement;
    int64_t copies = 0, counted = 0;
    for (const ProvenanceFigures *f : figures) {
        if (f->weightNearest < 0)
            continue;
        weight.push_back(f->weightRatio);
        latent.push_back(f->latentRatio);
        agreement.push_back(f->agreement);
        copies += f->nearCopy() ? 1 : 0;
        ++counted;
    }
    if (counted == 0)
        return "";
    return padded(label, 40) + padded(number(finiteMedian(weight), "%.2f"), 13) + padded(number(finiteMedian(latent), "%.2f"), 13) +
           padded(number(finiteMedian(agreement)), 10) + std::to_string(copies) + " of " + std::to_string(counted) + "\n";
}

} // namespace

std::string provenanceTable(const ProvenanceAnalysis &analysis, const std::vector<NetworkProvenance> &figures,
                            const std::vector<std::string> &names, const std::vector<size_t> &shown)
{
    const ProvenanceZoo &zoo = analysis.zoo();
    const ProvenanceScale &scale = analysis.scale();
    std::string text = "provenance: nearest zoo checkpoint in weight space (after weight matching: a neuron-permuted copy is a copy)\n"
                       "  and in SANE's latent space; ratio = distance / the zoo's typical nearest-neighbour distance between\n"
                       "  different models (" + number(scale.weight, "%.4g") + " in weights over " +
                       std::to_string(scale.weightSamples) + " checkpoints, " + number(scale.latent, "%.4g") +
                       " in latent space over " + std::to_string(scale.latentSamples) + ");\n"
                       "  agreement = share of " + std::to_string(analysis.agreementInputs()) +
                       " test inputs on which it predicts what its weight-space nearest checkpoint predicts\n";
    size_t nameWidth = 8, checkpointWidth = 17;
    for (size_t i : shown)
        nameWidth = std::max(nameWidth, names[i].size());
    for (const NetworkProvenance &p : figures)
        for (int64_t c : {p.anchor, p.network.weightNearest, p.network.latentNearest})
            checkpointWidth = std::max(checkpointWidth, nameOf(zoo, c).size());
    text += "  " + padded("network", nameWidth) + padded("anchor", checkpointWidth) + padded("nearest (weights)", checkpointWidth) +
            padded("ratio", 6) + padded("nearest (latent)", checkpointWidth) + padded("ratio", 6) + padded("agreement", 9) + "\n";
    for (size_t i : shown) {
        const NetworkProvenance &p = figures[i];
        const ProvenanceFigures &f = p.network;
        text += "  " + padded(names[i], nameWidth) + padded(nameOf(zoo, p.anchor), checkpointWidth) +
                padded(nameOf(zoo, f.weightNearest), checkpointWidth) + padded(number(f.weightRatio, "%.2f"), 6) +
                padded(nameOf(zoo, f.latentNearest), checkpointWidth) + padded(number(f.latentRatio, "%.2f"), 6) +
                padded(number(f.agreement), 9) + (f.nearCopy() ? "near-copy" : "") + "\n";
    }
    std::vector<const ProvenanceFigures *> networks, noise, average;
    for (const NetworkProvenance &p : figures) {
        networks.push_back(&p.network);
        noise.push_back(&p.noise);
        average.push_back(&p.average);
    }
    text += "  " + padded("medians", 40) + padded("weight ratio", 13) + padded("latent ratio", 13) + padded("agreement", 10) +
            "near-copies\n";
    for (const auto &[label, kind] : {std::pair{"generated (" + std::to_string(figures.size()) + " networks)", &networks},
                                      std::pair{std::string("baseline: anchor + noise, same change"), &noise},
                                      std::pair{std::string("baseline: aligned average of 2 anchors"), &average}})
        if (const std::string line = summaryLine(label, *kind); !line.empty())
            text += "  " + line;
    text += "  near-copy: ratio below 1 (closer to a training checkpoint than the zoo's models come to each other) and\n"
            "  agreement of at least " + number(ProvenanceFigures::CopyAgreement, "%.2f") +
            " with it; the baselines show where mere perturbation and interpolation land on the same scales\n";
    return text;
}

std::vector<ProvenanceColumn> provenanceColumns(const ProvenanceZoo &zoo, const NetworkProvenance &p)
{
    const ProvenanceFigures &f = p.network;
    return {{"nearest_checkpoint", nameOf(zoo, f.weightNearest)},
            {"nearest_distance", "", f.weightDistance},
            {"nearest_ratio", "", f.weightRatio},
            {"latent_nearest", nameOf(zoo, f.latentNearest)},
            {"latent_ratio", "", f.latentRatio},
            {"agreement", "", f.agreement},
            {"near_copy", "", f.weightNearest < 0 ? NAN : f.nearCopy() ? 1.0 : 0.0},
            {"anchor_change", "", p.change},
            {"noise_ratio", "", p.noise.weightRatio},
            {"noise_agreement", "", p.noise.agreement},
            {"average_partner", nameOf(zoo, p.partner)},
            {"average_ratio", "", p.average.weightRatio},
            {"average_agreement", "", p.average.agreement}};
}

} // namespace wse
