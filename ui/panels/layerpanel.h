#pragma once
// The Layers panel: the clicked checkpoint's tensors (shape, mean, std, range, norm, share of
// near-zero weights), or — when exactly two checkpoints are selected — the two compared layer by
// layer (norms, distance, relative distance, cosine similarity). The statistics are computed off the
// GUI thread (a zoo opened without its weights in memory is read from its file); `shown` says when
// a table is up.
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <vector>

class QLabel;
class QTableWidget;

class QMainWindow;

namespace wse {

class ExplorerDocument;
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

Q_SIGNALS:
    void shown();

private:
    struct LayerTable
    {
        QStringList columns;
        std::vector<QStringList> rows;
        QString error;
    };
    void run(const QString &heading, std::function<LayerTable()> compute);
    void fill(const QStringList &columns, const std::vector<QStringList> &rows);

    int mRequest = 0;
    QLabel *mHeading = nullptr;
    QTableWidget *mTable = nullptr;
};

// Adds the panel as a tab beside the Details dock, following the clicked point and the selection.
LayerPanel *addLayersDock(QMainWindow &window, ExplorerDocument &document);

} // namespace wse
