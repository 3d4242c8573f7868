#include "panels/checkpointrows.h"

#include "common/parallel.h"
#include "map/mapcolumns.h"
#include "zoo/roworder.h"
#include "zoo/zoo.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace wse {

CheckpointRows::~CheckpointRows() { stopIndexing(); }

void CheckpointRows::stopIndexing()
{
    if (!mIndexing.isValid())
        return;
    mStopIndexing->store(true);
    mIndexing.waitForFinished();
    mIndexing = {};
}

void CheckpointRows::prepareSearch()
{
    if (!mSearchIndex.empty() || mIndexing.isValid() || mRows == 0)
        return;
    mStopIndexing = std::make_shared<std::atomic<bool>>(false);
    mIndexing = QtConcurrent::run([columns = &mColumns, rows = mRows, stop = mStopIndexing] {
        return SearchIndex::build(*columns, rows, *stop);
    });
}

void CheckpointRows::reset(const Zoo *zoo, const std::vector<int64_t> &checkpoints)
{
    stopIndexing(); // it reads the columns about to change
    beginResetModel();
    mColumns.clear();
    mSearchIndex = {};
    mSearchHits.clear();
    mMatches.clear();
    mMarked.clear();
    mRows = zoo ? int(checkpoints.size()) : 0;
    if (zoo) {
        std::vector<std::string> names = {zoocol::ModelId, zoocol::Epoch};
        for (const std::string &name : zoo->checkpointColumnNames())
            if (!Zoo::isBookkeepingColumn(name) && name != zoocol::Epoch)
                names.push_back(name);
        for (const std::string &name : names)
            mColumns.push_back(columnOnMap(*zoo, checkpoints, name));
    }
    mSorted.resize(size_t(mRows));
    std::iota(mSorted.begin(), mSorted.end(), 0);
    showRows(mSorted);
    endResetModel();
}

int CheckpointRows::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(mOrder.size()); }
int CheckpointRows::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(mColumns.size()); }

QVariant CheckpointRows::data(const QModelIndex &index, int role) const
{
    const Column &column = mColumns[size_t(index.column())];
    const int point = mOrder[size_t(index.row())];
    if (role == Qt::DisplayRole)
        return QString::fromStdString(column.displayValue(point));
    if (role == Qt::TextAlignmentRole && !column.isText())
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::BackgroundRole && size_t(point) < mMarked.size() && mMarked[size_t(point)])
        return mMarkColour;
    return {};
}

QVariant CheckpointRows::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return QString::fromStdString(mColumns[size_t(section)].name());
    return size_t(section) < mOrder.size() ? mOrder[size_t(section)] : section; // the point's index on the map
}

void CheckpointRows::sort(int column, Qt::SortOrder order)
{
    beginResetModel();
    if (column >= 0 && size_t(column) < mColumns.size() && mColumns[size_t(column)].size() == int64_t(mSorted.size())) {
        mSorted = sortedRowOrder(mColumns[size_t(column)], order == Qt::DescendingOrder);
    } else {
        std::iota(mSorted.begin(), mSorted.end(), 0);
    }
    showRows(mSorted);
    endResetModel();
}

int CheckpointRows::rowOf(int point) const
{
    return point >= 0 && size_t(point) < mRowOf.size() ? mRowOf[size_t(point)] : -1;
}

int CheckpointRows::columnOf(const QString &name) const
{
    for (size_t i = 0; i < mColumns.size(); ++i)
        if (mColumns[i].name() == name.toStdString())
            return int(i);
    return -1;
}

void CheckpointRows::setSearch(const QString &text)
{
    beginResetModel();
    const std::string needle = text.toLower().toStdString();
    // Typing on only narrows the rows: the shown ones are all that can still pass.
    const bool narrower = !mNeedle.empty() && needle.find(mNeedle) != std::string::npos;
    mNeedle = needle;
    if (!mNeedle.empty() && mSearchIndex.empty()) {
        prepareSearch(); // or already under way
        mSearchIndex = mIndexing.result();
        mIndexing = {};
    }
    if (mNeedle.empty())
        mSearchHits.clear();
    else
        mSearchHits = mSearchIndex.rowsContaining(mNeedle);
    showRows(narrower ? std::vector<int>(mOrder) : mSorted);
    endResetModel();
}

void CheckpointRows::setMatches(std::vector<bool> matches, bool matchingOnly)
{
    beginResetModel();
    mMatches = std::move(matches);
    mMatchingOnly = matchingOnly;
    showRows(mSorted);
    endResetModel();
}

void CheckpointRows::setMarked(std::vector<bool> marked, const QColor &colour)
{
    mMarked = std::move(marked);
    mMarkColour = colour;
    if (!mOrder.empty() && !mColumns.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(mOrder.size()) - 1, int(mColumns.size()) - 1), {Qt::BackgroundRole});
}

bool CheckpointRows::passes(int point) const
{
    if (mMatchingOnly && size_t(point) < mMatches.size() && !mMatches[size_t(point)])
        return false;
    return mNeedle.empty() || (size_t(point) < mSearchHits.size() && mSearchHits[size_t(point)]);
}

void CheckpointRows::showRows(const std::vector<int> &candidates)
{
    std::vector<char> shown(candidates.size());
    parallelFor(int64_t(candidates.size()), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            shown[size_t(i)] = passes(candidates[size_t(i)]);
    }, 8192);
    mOrder.clear();
    mRowOf.assign(size_t(mRows), -1);
    for (size_t i = 0; i < candidates.size(); ++i)
        if (shown[i]) {
            mRowOf[size_t(candidates[i])] = int(mOrder.size());
            mOrder.push_back(candidates[i]);
        }
}

} // namespace wse
