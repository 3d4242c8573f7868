#pragma once
// The Layers panel: the clicked checkpoint's tensors (shape, mean, std, range, norm, share of
// near-zero weights), or — when exactly two checkpoints are selected — the two compared layer by
// layer (norms, distance, relative distance, cosine similarity).
#include <QWidget>

#include <cstdint>

class QLabel;
class QTableWidget;

namespace wse {

class MainWindow;
class Zoo;

class LayerPanel : public QWidget
{
    Q_OBJECT

public:
    explicit LayerPanel(QWidget *parent = nullptr);

    void showCheckpoint(const Zoo &zoo, const QString &zooPath, int64_t checkpoint);
    void compare(const Zoo &zoo, const QString &zooPath, int64_t a, int64_t b);
    void clearLayers();

    int layerCount() const;
    // The shown text of a layer's column ("norm", "cosine", ...), empty if absent (tests, copy).
    QString value(const QString &layer, const QString &column) const;
    QString heading() const;

private:
    void fill(const QStringList &columns, const std::vector<QStringList> &rows);

    QLabel *mHeading = nullptr;
    QTableWidget *mTable = nullptr;
};

// Adds the panel as a tab beside the Details dock, following the clicked point and the selection.
LayerPanel *addLayersDock(MainWindow &window);

} // namespace wse
