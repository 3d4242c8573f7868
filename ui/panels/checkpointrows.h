#pragma once
// The checkpoint table's rows: one per point of the shown map, in the order shown — sorted by a
// column (numbers as numbers, missing last) and limited to the rows that pass the search text
// (any column, case-insensitive) and, when asked, the filter expression. It keeps its own order
// instead of a QSortFilterProxyModel, whose sorting and refiltering go through a QVariant per
// comparison and take seconds at a million rows; here a change is one sort or one pass.
#include "panels/searchindex.h"
#include "zoo/table.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QFuture>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace wse {

class Zoo;

class CheckpointRows : public QAbstractTableModel
{
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;
    ~CheckpointRows() override;

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

    // Starts building the search index in the background (the search box got the focus): the first
    // keystroke then need not wait for it (about a second at a million rows).
    void prepareSearch();
    void setSearch(const QString &text);
    void setMatches(std::vector<bool> matches, bool matchingOnly);
    // Rows of the map's selection, drawn highlighted: a flag per point rather than Qt's selection
    // model, which is quadratic in the number of separate row ranges.
    void setMarked(std::vector<bool> marked, const QColor &colour);

private:
    // The shown rows: those of `candidates` (in the sort order) that pass the search and the filter.
    void showRows(const std::vector<int> &candidates);
    bool passes(int point) const;
    void stopIndexing();

    std::vector<Column> mColumns;
    int mRows = 0;
    std::vector<int> mSorted;   // every point, in the sort order
    std::vector<int> mOrder;    // the shown points, in the sort order
    std::vector<int> mRowOf;    // per point: its row, or -1
    std::vector<bool> mMarked, mMatches;
    bool mMatchingOnly = false;
    QColor mMarkColour;
    std::string mNeedle;
    SearchIndex mSearchIndex;       // built at the first search, or when the search box gets the focus
    std::vector<char> mSearchHits;  // per point: whether it contains mNeedle
    QFuture<SearchIndex> mIndexing; // mSearchIndex being built (reads mColumns)
    std::shared_ptr<std::atomic<bool>> mStopIndexing; // tells that build to give up
};

} // namespace wse
