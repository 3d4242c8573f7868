#pragma once
// Every property of the selected checkpoint: its model's hyper-parameters and its metrics.
#include <QTableWidget>

#include <cstdint>
#include <utility>
#include <vector>

namespace wse {

class Zoo;

class DetailsPanel : public QTableWidget
{
    Q_OBJECT

public:
    explicit DetailsPanel(QWidget *parent = nullptr);
    void showCheckpoint(const Zoo &zoo, int64_t checkpoint);
    // Appends "nearest 1".. rows: MODEL:EPOCH and the distance in the map's input space.
    void showNeighbours(const Zoo &zoo, const std::vector<std::pair<int64_t, double>> &checkpointsAndDistances,
                        const QString &space);
    void clearDetails();
    // The displayed value of a property, empty if not shown (for tests and copy actions).
    QString value(const QString &property) const;

protected:
    void paintEvent(QPaintEvent *event) override; // with no checkpoint: what to do to see one
};

} // namespace wse
