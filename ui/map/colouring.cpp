#include "map/colouring.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace wse {

Rgb viridis(double t)
{
    // Polynomial fit of matplotlib's viridis (max error well below one 8-bit step in lightness).
    static const double c[7][3] = {{0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
                                   {0.1050930431085774, 1.404613529898575, 1.384590162594685},
                                   {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
                                   {-4.634230498983486, -5.799100973351585, -19.33244095627987},
                                   {6.228269936347081, 14.17993336680509, 56.69055260068105},
                                   {4.776384997670288, -13.74514537774601, -65.35303263337234},
                                   {-5.435455855934631, 4.645852612178535, 26.3124352495832}};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
    double channel[3];
    for (int k = 0; k < 3; ++k) {
        double value = c[6][k];
        for (int i = 5; i >= 0; --i)
            value = value * t + c[i][k];
        channel[k] = std::clamp(value, 0.0, 1.0);
    }
    return {uint8_t(std::lround(channel[0] * 255)), uint8_t(std::lround(channel[1] * 255)),
            uint8_t(std::lround(channel[2] * 255))};
}

Rgb diverging(double t)
{
    // Moreland (2009) cool-warm, interpolated in sRGB between five of its control points.
    static const double points[5][3] = {{59, 76, 192}, {141, 176, 254}, {221, 221, 221}, {244, 154, 123}, {180, 4, 38}};
    t = std::clamp(std::isfinite(t) ? t : 0.5, 0.0, 1.0) * 4.0;
    const int i = std::min(3, int(t));
    const double f = t - i;
    auto channel = [&](int k) { return uint8_t(std::lround(points[i][k] + f * (points[i + 1][k] - points[i][k]))); };
    return {channel(0), channel(1), channel(2)};
}

Rgb scaleColour(ColourScale scale, double t)
{
    return scale == ColourScale::Diverging ? diverging(t) : viridis(t);
}

Rgb categoricalColour(size_t index)
{
    static const Rgb palette[] = {
        // Okabe & Ito (2008), yellow and black last: they read worst on a white background.
        {0x00, 0x72, 0xB2}, {0xE6, 0x9F, 0x00}, {0x00, 0x9E, 0x73}, {0xCC, 0x79, 0xA7}, {0x56, 0xB4, 0xE9},
        {0xD5, 0x5E, 0x00}, {0xF0, 0xE4, 0x42}, {0x00, 0x00, 0x00},
        // Paul Tol's muted scheme for more categories.
        {0x33, 0x22, 0x88}, {0x88, 0xCC, 0xEE}, {0x44, 0xAA, 0x99}, {0x11, 0x77, 0x33}, {0x99, 0x99, 0x33},
        {0xDD, 0xCC, 0x77}, {0xCC, 0x66, 0x77}, {0x88, 0x22, 0x55}, {0xAA, 0x44, 0x99}, {0x77, 0x77, 0x77}};
    return palette[index % (sizeof palette / sizeof palette[0])];
}

Rgb missingColour() { return {0xBB, 0xBB, 0xBB}; }

Colouring colourBy(const Column &column, const ColourOptions &options)
{
    Colouring colouring;
    colouring.title = column.name();
    const auto rows = size_t(column.size());
    colouring.colours.resize(rows, missingColour());
    if (column.isText()) {
        colouring.categorical = true;
        std::map<std::string, size_t> index;
        for (const std::string &category : column.categories()) {
            index[category] = colouring.legend.size();
            const Rgb colour = category.empty() ? missingColour() : categoricalColour(colouring.legend.size());
            colouring.legend.push_back({category.empty() ? "(none)" : category, colour, 0});
        }
        for (size_t i = 0; i < rows; ++i) {
            LegendEntry &entry = colouring.legend[index[column.text(int64_t(i))]];
            colouring.colours[i] = entry.colour;
            ++entry.count;
        }
        return colouring;
    }
    double low = INFINITY, high = -INFINITY;
    for (double value : column.numbers())
        if (std::isfinite(value)) {
            low = std::min(low, value);
            high = std::max(high, value);
        }
    if (!(low <= high)) {
        low = 0.0;
        high = 1.0;
    }
    colouring.scale = options.scale;
    if (options.fixedRange && options.minimum < options.maximum) {
        low = options.minimum;
        high = options.maximum;
    } else if (options.scale == ColourScale::Diverging && low < 0 && high > 0) {
        high = std::max(-low, high); // centred on zero: the sign reads as the hue
        low = -high;
    }
    colouring.minimum = low;
    colouring.maximum = high;
    const double span = high > low ? high - low : 1.0;
    for (size_t i = 0; i < rows; ++i) {
        const double value = column.number(int64_t(i));
        if (std::isfinite(value))
            colouring.colours[i] = scaleColour(options.scale, (value - low) / span);
    }
    return colouring;
}

} // namespace wse
