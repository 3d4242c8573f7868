#include "commandlineoptions.h"

#include "workspace/workspace.h"

#include <QCoreApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <cstdlib>

namespace wse {

ExplorerOptions parseExplorerOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Explore model zoos in weight space: every checkpoint a point in an interactive 3D map.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", "Zoo file (.h5), or a workspace (.h5) with its zoo, maps and last view.");
    const QCommandLineOption colourBy({"c", "color-by"}, "Colour the map by this column (e.g. test_acc, init).", "column");
    const QCommandLineOption sizeBy("size-by", "Size the points by this numeric column (e.g. test_acc).", "column");
    const QCommandLineOption screenshot({"s", "screenshot"}, "Render to this file and exit: .png a screenshot of the window, .svg or .pdf a vector figure of the map.", "file");
    const QCommandLineOption size("size", "Window size, e.g. 1280x800.", "WxH");
    const QCommandLineOption map({"m", "map"}, "Map to show: weights (default), weight-statistics or sane.", "source");
    const QCommandLineOption sane("sane", "SANE encoder (.pt: embeds every checkpoint) or embeddings (.h5 from wse embed) "
                                          "for the SANE map.", "file");
    const QCommandLineOption filter({"f", "filter"}, "Grey out the checkpoints that do not match, e.g. "
                                                     "'activation == \"tanh\" && test_acc > 0.7'.", "expression");
    const QCommandLineOption layout({"l", "layout"}, "Layout of the map: pca (default), tsne or umap.", "method");
    const QCommandLineOption bookmark({"b", "bookmark"}, "Open the workspace at this saved view (e.g. \"last view\").", "name");
    const QCommandLineOption demo("demo", "Open the demo zoo (made on first use in your data folder: a few minutes).");
    parser.addOptions({colourBy, sizeBy, map, layout, bookmark, sane, filter, screenshot, size, demo});
    parser.process(app);

    ExplorerOptions options;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "wse-explorer: error: expected at most one file, got %lld\n", (long long)positional.size());
        std::exit(1);
    }
    if (!positional.isEmpty())
        options.file = positional.first();
    options.demo = parser.isSet(demo);
    if (options.demo && !options.file.isEmpty()) {
        std::fprintf(stderr, "wse-explorer: error: --demo opens the demo zoo: give no file with it\n");
        std::exit(1);
    }
    options.colourBy = parser.value(colourBy);
    options.sizeBy = parser.value(sizeBy);
    options.screenshot = parser.value(screenshot);
    options.map = parser.value(map);
    options.layout = parser.value(layout);
    options.bookmark = parser.value(bookmark);
    if (!options.layout.isEmpty() && options.layout != "pca" && options.layout != "tsne" && options.layout != "umap") {
        std::fprintf(stderr, "wse-explorer: error: --layout wants pca, tsne or umap, got '%s'\n", qPrintable(options.layout));
        std::exit(1);
    }
    options.sane = parser.value(sane);
    options.filter = parser.value(filter);
    if (!options.map.isEmpty() && options.map != "weights" && options.map != "weight-statistics" && options.map != "sane") {
        std::fprintf(stderr, "wse-explorer: error: --map wants weights, weight-statistics or sane, got '%s'\n",
                     qPrintable(options.map));
        std::exit(1);
    }
    if (options.map == "sane" && options.sane.isEmpty() && !wse::Workspace::isWorkspaceFile(options.file.toStdString())) {
        std::fprintf(stderr, "wse-explorer: error: --map sane needs --sane ENCODER.pt or --sane EMBEDDINGS.h5 (or a workspace)\n");
        std::exit(1);
    }
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split('x');
        bool okWidth = false, okHeight = false;
        if (parts.size() == 2)
            options.size = QSize(parts[0].toInt(&okWidth), parts[1].toInt(&okHeight));
        if (!okWidth || !okHeight || options.size.width() < 200 || options.size.height() < 150) {
            std::fprintf(stderr, "wse-explorer: error: --size wants WxH (at least 200x150), got '%s'\n",
                         qPrintable(parser.value(size)));
            std::exit(1);
        }
    }
    return options;
}

} // namespace wse
