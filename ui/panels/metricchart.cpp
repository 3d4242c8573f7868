#include "panels/metricchart.h"

#include "zoo/zoo.h"

#include <QtCharts/QChart>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <cmath>
#include <map>

namespace wse {

namespace {

// Accuracy-like metrics first: they share the [0, 1] axis.
std::vector<std::string> metricsToPlot(const Table &table)
{
    std::vector<std::string> names;
    for (const char *preferred : {"test_acc", "train_acc", "val_acc", "validation_acc"})
        if (const Column *column = table.find(preferred); column && !column->isText())
            names.push_back(preferred);
    return names;
}

} // namespace

MetricChart::MetricChart(QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(120);
    clearChart();
}

void MetricChart::clearChart()
{
    auto *chart = new QChart();
    chart->setTitle(tr("Select a checkpoint to see its model's training curve"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    setChart(chart); // takes ownership, deletes the previous chart
}

void MetricChart::showModelOf(const Zoo &zoo, int64_t checkpoint)
{
    const double model = zoo.checkpoints.get(zoocol::Model).number(checkpoint);
    const double selectedEpoch = zoo.checkpoints.get(zoocol::Epoch).number(checkpoint);
    // Per-epoch curves when the zoo logged them (every epoch), else the stored checkpoints.
    const bool curves = zoo.curves.rowCount() > 0 && zoo.curves.find(zoocol::Model) && !metricsToPlot(zoo.curves).empty();
    const Table &table = curves ? zoo.curves : zoo.checkpoints;
    auto *chart = new QChart();
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setTitle(tr("%1 over epochs").arg(QString::fromStdString(zoo.checkpointValue(checkpoint, zoocol::ModelId))));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto *x = new QValueAxis(chart);
    x->setTitleText(tr("epoch"));
    x->setLabelFormat("%d");
    auto *y = new QValueAxis(chart);
    y->setRange(0.0, 1.0);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lastEpoch = 0;
    for (const std::string &name : metricsToPlot(table)) {
        std::map<double, double> byEpoch;
        for (int64_t r = 0; r < table.rowCount(); ++r)
            if (table.get(zoocol::Model).number(r) == model && std::isfinite(table.get(name).number(r)))
                byEpoch[table.get(zoocol::Epoch).number(r)] = table.get(name).number(r);
        if (byEpoch.empty())
            continue;
        auto *series = new QLineSeries(chart);
        series->setName(QString::fromStdString(name));
        for (const auto &[epoch, value] : byEpoch) {
            series->append(epoch, value);
            lastEpoch = std::max(lastEpoch, epoch);
        }
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
        if (const auto it = byEpoch.find(selectedEpoch); it != byEpoch.end()) {
            auto *marker = new QScatterSeries(chart);
            marker->setName(tr("%1 at epoch %2").arg(QString::fromStdString(name)).arg(selectedEpoch));
            marker->setMarkerSize(9);
            marker->setColor(QColor(217, 26, 89));
            marker->append(it->first, it->second);
            chart->addSeries(marker);
            marker->attachAxis(x);
            marker->attachAxis(y);
            for (QLegendMarker *legendMarker : chart->legend()->markers(marker))
                legendMarker->setVisible(false); // the red dot explains itself
        }
    }
    x->setRange(0, std::max(1.0, lastEpoch));
    x->setTickCount(int(std::min(6.0, std::max(2.0, lastEpoch + 1))));
    y->setTickCount(3);
    setChart(chart);
}

QStringList MetricChart::metrics() const
{
    QStringList names;
    for (QAbstractSeries *series : chart()->series())
        if (qobject_cast<QLineSeries *>(series) && !qobject_cast<QScatterSeries *>(series))
            names << series->name();
    return names;
}

int MetricChart::pointsOf(const QString &metric) const
{
    for (QAbstractSeries *series : chart()->series())
        if (series->name() == metric)
            if (auto *line = qobject_cast<QLineSeries *>(series))
                return int(line->count());
    return 0;
}

} // namespace wse
