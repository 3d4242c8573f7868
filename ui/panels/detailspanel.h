#pragma once
// Every property of the selected checkpoint: its model's hyper-parameters and its metrics.
#include <QTableWidget>

namespace wse {

class Zoo;

class DetailsPanel : public QTableWidget
{
    Q_OBJECT

public:
    explicit DetailsPanel(QWidget *parent = nullptr);
    void showCheckpoint(const Zoo &zoo, int64_t checkpoint);
    void clearDetails();
    // The displayed value of a property, empty if not shown (for tests and copy actions).
    QString value(const QString &property) const;
};

} // namespace wse
