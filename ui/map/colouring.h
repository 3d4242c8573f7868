#pragma once
// Turns a metadata column into one colour per point: numeric columns through a perceptually
// uniform colour map (viridis) or a diverging one (for signed values such as the generalisation
// gap), over their range or a chosen one; text columns through a colour-blind-safe categorical
// palette (Okabe-Ito, then Paul Tol's muted set) with a legend. No Qt, no VTK: unit-testable.
#include "zoo/table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wse {

struct Rgb
{
    uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb &o) const { return r == o.r && g == o.g && b == o.b; }
};

struct LegendEntry
{
    std::string label;
    Rgb colour;
    int64_t count = 0;
};

enum class ColourScale { Viridis, Diverging };

struct Colouring
{
    std::string title;
    bool categorical = false;
    ColourScale scale = ColourScale::Viridis;
    std::vector<Rgb> colours;         // one per point
    std::vector<LegendEntry> legend;  // categorical only
    double minimum = 0.0, maximum = 1.0; // continuous only: the range mapped (values beyond are clamped)
};

// A number of the colouring's scale at t in [0, 1] (clamped).
Rgb scaleColour(ColourScale scale, double t);

// viridis at t in [0, 1] (clamped).
Rgb viridis(double t);
// Blue - light grey - red (Moreland's "cool to warm"), t in [0, 1] (clamped); 0.5 is the centre.
Rgb diverging(double t);
// The i-th categorical colour (cycles after the palette's 18 colours).
Rgb categoricalColour(size_t index);
// Colour of missing values (NaN, empty text).
Rgb missingColour();
// A point outside the selection: grey of its own lightness, mixed halfway towards the background
// — still seen in context on either theme, while only the selection keeps colour.
inline Rgb fadedColour(const Rgb &c, const Rgb &background = Rgb{255, 255, 255})
{
    const int grey = (299 * c.r + 587 * c.g + 114 * c.b) / 1000;
    auto mix = [grey](uint8_t towards) { return uint8_t((9 * grey + 11 * towards) / 20); };
    return Rgb{mix(background.r), mix(background.g), mix(background.b)};
}

// Numbers go through `scale` over [minimum, maximum] of the finite values, or over `range` when it
// is given (minimum < maximum). A diverging scale over the values' own range centres on 0 when
// the values have both signs.
struct ColourOptions
{
    ColourScale scale = ColourScale::Viridis;
    bool fixedRange = false;
    double minimum = 0.0, maximum = 1.0;
};
Colouring colourBy(const Column &column, const ColourOptions &options = {});

} // namespace wse
