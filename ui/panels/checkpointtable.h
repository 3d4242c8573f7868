#pragma once
// The table of the shown map's checkpoints, linked to the map: one row per point with its model,
// epoch, hyper-parameters and metrics; sortable by any column (numbers as numbers), searchable,
// optionally only the rows that match the filter expression. Selecting rows selects the points
// and the other way round; the current point's row is scrolled to.
#include <QWidget>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace wse {

class CheckpointRows;
class Zoo;

class CheckpointTable : public QWidget
{
    Q_OBJECT

public:
    explicit CheckpointTable(QWidget *parent = nullptr);
    ~CheckpointTable() override;

    // The rows: the map's checkpoints in point order (empty `zoo` clears).
    void showCheckpoints(const Zoo *zoo, const std::vector<int64_t> &checkpoints);
    // Which rows pass the filter expression (empty: all); hidden when "matching only" is on.
    void setFilterMatches(const std::vector<bool> &matches);
    // The map's selection, marked on its rows (from the map: no signal back).
    void setSelectedPoints(const std::vector<int> &points);
    void setCurrentPoint(int point);                       // scrolls to its row
    std::vector<int> selectedPoints() const; // the marked rows' points
    QTableView *view() const { return mView; }
    int visibleRows() const;
    void sortByColumn(const QString &name, bool ascending);

Q_SIGNALS:
    void pointsSelected(const std::vector<int> &points); // the user selected rows
    void pointActivated(int point);                       // double-click or Enter on a row

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateCount();
    void changeRows(const std::function<void()> &change); // search or filter: rows come and go
    std::vector<int> rowsSelectedHere() const;            // Qt's selection of rows, as points

    CheckpointRows *mModel = nullptr;
    QTableView *mView = nullptr;
    QLineEdit *mSearch = nullptr;
    QCheckBox *mMatchingOnly = nullptr;
    QLabel *mCount = nullptr;
    std::vector<bool> mMatches;
    std::vector<int> mMapSelection; // as the map last set it
    bool mSyncing = false; // applying the map's selection: not a user's
};

} // namespace wse
