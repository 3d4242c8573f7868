#pragma once
#include <QSize>
#include <QString>

class QCoreApplication;

namespace wse {

struct ExplorerOptions
{
    QString file;
    QString colourBy;
    QString sizeBy; // a numeric column the points' areas follow
    QString map; // weights | weight-statistics | sane; empty = default
    QString layout; // pca | tsne | umap; empty = pca
    QString bookmark; // a view saved in the workspace being opened
    QString sane; // SANE encoder (.pt) or embeddings (.h5) for the SANE map
    QString filter; // filter expression: non-matching points grey
    QString screenshot;
    QSize size;
    bool demo = false; // open the demo zoo, made first if it does not exist yet
};

// Parses wse-explorer's arguments; prints help/version and exits on --help/--version or errors.
ExplorerOptions parseExplorerOptions(const QCoreApplication &app);

} // namespace wse
