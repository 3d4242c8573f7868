#pragma once
// The training curve of the selected checkpoint's model: its accuracy metrics over epochs (from
// the zoo's per-epoch curves when logged, else its checkpoints), with the selected epoch marked.
#include <QtCharts/QChartView>

#include <cstdint>

namespace wse {

class Zoo;

class MetricChart : public QChartView
{
    Q_OBJECT

public:
    explicit MetricChart(QWidget *parent = nullptr);
    void showModelOf(const Zoo &zoo, int64_t checkpoint);
    void clearChart();
    // For tests: the plotted metrics and their number of epochs.
    QStringList metrics() const;
    int pointsOf(const QString &metric) const;
};

} // namespace wse
