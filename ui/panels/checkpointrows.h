#pragma once
// The checkpoint table's rows: one per point of the shown map, in the order shown — sorted by a
// column (numbers as numbers, missing last) and limited to the rows that pass the search text
// (any column, case-insensitive) and, when asked, the filter expression. It keeps its own order
// instead of a QSortFilterProxyModel, whose sorting and refiltering go through a QVariant per
// comparison and take seconds at a million rows; here a change is one sort or one pass.
#include "zoo/table.h"

#include <QAbstractTableModel>
#include <QColor>

#include <string>
#include <vector>

namespace wse {

class Zoo;

class CheckpointRows : public QAbstractTableModel
{
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;

    void reset(const Zoo *zoo, const std::vector<int64_t> &checkpoints);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override; // -1: the map's order

    int totalRows() const { return mRows; }
    int pointAt(int row) const { return mOrder[size_t(row)]; }
    int rowOf(int point) const; // -1 while not shown
    int columnOf(const QString &name) const;

    void setSearch(const QString &text);
    void setMatches(std::vector<bool> matches, bool matchingOnly);
    // Rows of the map's selection, drawn highlighted: a flag per point rather than Qt's selection
    // model, which is quadratic in the number of separate row ranges.
    void setMarked(std::vector<bool> marked, const QColor &colour);

private:
    // The shown rows: those of `candidates` (in the sort order) that pass the search and the filter.
    void showRows(const std::vector<int> &candidates);
    bool passes(int point) const;

    std::vector<Column> mColumns;
    int mRows = 0;
    std::vector<int> mSorted;   // every point, in the sort order
    std::vector<int> mOrder;    // the shown points, in the sort order
    std::vector<int> mRowOf;    // per point: its row, or -1
    std::vector<bool> mMarked, mMatches;
    bool mMatchingOnly = false;
    QColor mMarkColour;
    std::string mNeedle;
    std::vector<std::string> mTexts; // per point, every column as shown, lower case: built at the first search
};

} // namespace wse
