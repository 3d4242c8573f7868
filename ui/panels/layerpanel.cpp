#include "panels/layerpanel.h"

#include "document/zoodocument.h"
#include "document/explorerdocument.h"
#include "map/mapview.h"

#include "analysis/layerstatistics.h"
#include "zoo/zoostore.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace wse {

namespace {

// A checkpoint's weights: copied now when the zoo holds them in memory, else read from the file by
// the worker (a zoo opened lazily: the read must not stall the GUI thread).
struct WeightSource
{
    std::string zooPath, architecture;
    int64_t row = 0;
    std::vector<float> inMemory;

    std::vector<float> read(int64_t numel) const
    {
        if (!inMemory.empty())
            return inMemory;
        std::vector<float> weights(size_t(numel), 0.0f);
        ZooWeightReader(zooPath, architecture).read(row, 1, weights.data());
        return weights;
    }
};

WeightSource sourceOf(const Zoo &zoo, const QString &zooPath, int64_t checkpoint)
{
    const int architecture = zoo.checkpointArchitecture(checkpoint);
    const Architecture &arch = zoo.architectures.at(size_t(architecture));
    WeightSource source{zooPath.toStdString(), arch.name, int64_t(zoo.checkpoints.get(zoocol::WeightRow).number(checkpoint)), {}};
    const WeightMatrix *matrix = size_t(architecture) < zoo.weights.size() ? &zoo.weights[size_t(architecture)] : nullptr;
    if (matrix && source.row < matrix->rows && !matrix->values.empty())
        source.inMemory.assign(matrix->row(source.row), matrix->row(source.row) + arch.numel());
    return source;
}

QString number(double value) { return QString::number(value, 'g', 4); }

QString nameOf(const Zoo &zoo, int64_t checkpoint)
{
    return QString::fromStdString(zoo.checkpointName(checkpoint));
}

} // namespace

LayerPanel::LayerPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName("layerPanel");
    mHeading = new QLabel(tr("Click a checkpoint to see its layers; select two to compare them."));
    mHeading->setWordWrap(true);
    mTable = new QTableWidget;
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->verticalHeader()->hide();
    mTable->horizontalHeader()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(mHeading);
    layout->addWidget(mTable, 1);
}

void LayerPanel::fill(const QStringList &columns, const std::vector<QStringList> &rows)
{
    mTable->clear();
    mTable->setColumnCount(int(columns.size()));
    mTable->setHorizontalHeaderLabels(columns);
    mTable->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r)
        for (int c = 0; c < int(columns.size()); ++c) {
            auto *item = new QTableWidgetItem(rows[size_t(r)][c]);
            if (c > 1)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            mTable->setItem(r, c, item);
        }
    mTable->resizeColumnsToContents();
}

void LayerPanel::showCheckpoint(const Zoo &zoo, const QString &zooPath, int64_t checkpoint)
{
    const Architecture arch = zoo.architectures.at(size_t(zoo.checkpointArchitecture(checkpoint)));
    const WeightSource source = sourceOf(zoo, zooPath, checkpoint);
    const QString heading =
        tr("<b>%1</b> · %2 · %3 parameters").arg(nameOf(zoo, checkpoint), QString::fromStdString(arch.name)).arg(arch.numel());
    run(heading, [arch, source] {
        const std::vector<float> weights = source.read(arch.numel());
        LayerTable table;
        table.columns = {tr("layer"), tr("shape"), tr("mean"), tr("std"), tr("min"), tr("max"), tr("norm"), tr("near zero")};
        for (const LayerSummary &layer : layerSummaries(arch, weights.data()))
            table.rows.push_back({QString::fromStdString(layer.key), QString::fromStdString(layer.shape), number(layer.mean),
                                  number(layer.std), number(layer.minimum), number(layer.maximum), number(layer.norm),
                                  QString::number(layer.nearZero * 100, 'f', 1) + "%"});
        return table;
    });
}

void LayerPanel::compare(const Zoo &zoo, const QString &zooPath, int64_t a, int64_t b)
{
    const int architecture = zoo.checkpointArchitecture(a);
    if (zoo.checkpointArchitecture(b) != architecture) {
        clearLayers();
        mHeading->setText(tr("%1 and %2 have different architectures: nothing to compare layer by layer.")
                              .arg(nameOf(zoo, a), nameOf(zoo, b)));
        return;
    }
    const Architecture arch = zoo.architectures.at(size_t(architecture));
    const WeightSource first = sourceOf(zoo, zooPath, a), second = sourceOf(zoo, zooPath, b);
    run(tr("<b>%1</b> (A) compared with <b>%2</b> (B)").arg(nameOf(zoo, a), nameOf(zoo, b)), [arch, first, second] {
        const std::vector<float> wa = first.read(arch.numel()), wb = second.read(arch.numel());
        LayerTable table;
        table.columns = {tr("layer"), tr("shape"), tr("norm A"), tr("norm B"), tr("distance"), tr("relative"), tr("cosine")};
        for (const LayerDifference &layer : layerDifferences(arch, wa.data(), wb.data()))
            table.rows.push_back({QString::fromStdString(layer.key), QString::fromStdString(layer.shape), number(layer.normA),
                                  number(layer.normB), number(layer.distance), number(layer.relative),
                                  QString::number(layer.cosine, 'f', 4)});
        return table;
    });
}

void LayerPanel::run(const QString &heading, std::function<LayerTable()> compute)
{
    const int request = ++mRequest;
    mHeading->setText(heading + tr(" · reading..."));
    auto *watcher = new QFutureWatcher<LayerTable>(this);
    connect(watcher, &QFutureWatcher<LayerTable>::finished, this, [this, watcher, heading, request] {
        watcher->deleteLater();
        if (request != mRequest)
            return; // another checkpoint was chosen meanwhile
        const LayerTable table = watcher->result();
        mHeading->setText(table.error.isEmpty() ? heading : table.error);
        fill(table.columns, table.rows);
        Q_EMIT shown();
    });
    watcher->setFuture(QtConcurrent::run([compute] {
        try {
            return compute();
        } catch (const std::exception &error) { // e.g. the zoo file went away
            LayerTable failed;
            failed.error = QString::fromStdString(error.what());
            return failed;
        }
    }));
}

void LayerPanel::clearLayers()
{
    ++mRequest; // a result still on its way is not shown
    mTable->clear();
    mTable->setRowCount(0);
    mTable->setColumnCount(0);
    mHeading->setText(tr("Click a checkpoint to see its layers; select two to compare them."));
}

int LayerPanel::layerCount() const { return mTable->rowCount(); }

QString LayerPanel::heading() const { return mHeading->text(); }

QString LayerPanel::value(const QString &layer, const QString &column) const
{
    int col = -1;
    for (int c = 0; c < mTable->columnCount(); ++c)
        if (mTable->horizontalHeaderItem(c)->text() == column)
            col = c;
    for (int r = 0; r < mTable->rowCount() && col >= 0; ++r)
        if (mTable->item(r, 0)->text() == layer)
            return mTable->item(r, col)->text();
    return {};
}

LayerPanel *addLayersDock(QMainWindow &window, ExplorerDocument &document)
{
    auto *panel = new LayerPanel;
    auto *dock = new QDockWidget(QObject::tr("Layers"), &window);
    dock->setObjectName("layersDock");
    dock->setWidget(panel);
    window.addDockWidget(Qt::RightDockWidgetArea, dock);
    if (auto *details = window.findChild<QDockWidget *>("detailsDock")) {
        window.tabifyDockWidget(details, dock);
        details->raise();
    }
    ExplorerDocument *explorer = &document;
    auto refresh = [explorer, panel] {
        const ZooDocument *zoo = explorer->zoo();
        if (!zoo) {
            panel->clearLayers();
            return;
        }
        try {
            const std::vector<int64_t> &selected = explorer->selection();
            if (selected.size() == 2)
                panel->compare(zoo->zoo(), zoo->path(), selected[0], selected[1]);
            else if (explorer->currentCheckpoint() >= 0)
                panel->showCheckpoint(zoo->zoo(), zoo->path(), explorer->currentCheckpoint());
            else
                panel->clearLayers();
        } catch (const std::exception &error) { // the zoo file went away
            panel->clearLayers();
            panel->setToolTip(QString::fromStdString(error.what()));
        }
    };
    QObject::connect(explorer, &ExplorerDocument::changed, panel, [refresh](const ChangeEvent &event) {
        if (event.type == ChangeEvent::Type::Current || event.type == ChangeEvent::Type::Selection)
            refresh();
    });
    return panel;
}

} // namespace wse
