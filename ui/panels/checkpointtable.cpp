#include "panels/checkpointtable.h"

#include "common/parallel.h"

#include "map/mapcolumns.h"

#include "zoo/zoo.h"

#include <QAbstractTableModel>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelection>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <cctype>

namespace wse {

namespace {

// Every column's value as shown, lower case, one string per row: what the search box searches.
std::vector<std::string> searchTexts(const std::vector<Column> &columns, int rows)
{
    std::vector<std::string> texts(static_cast<size_t>(rows));
    parallelFor(rows, [&](int64_t begin, int64_t end) { // each row's text on its own: any thread count, same texts
        for (int64_t row = begin; row < end; ++row) {
            std::string &text = texts[size_t(row)];
            for (const Column &column : columns) {
                text += column.displayValue(row);
                text += '\x1f'; // a match never spans two columns
            }
            std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        }
    }, 4096);
    return texts;
}

} // namespace

class CheckpointTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    void reset(const Zoo *zoo, const std::vector<int64_t> &checkpoints)
    {
        beginResetModel();
        mColumns.clear();
        mRows = zoo ? int(checkpoints.size()) : 0;
        if (zoo) {
            std::vector<std::string> names = {zoocol::ModelId, zoocol::Epoch};
            for (const std::string &name : zoo->checkpointColumnNames())
                if (!Zoo::isBookkeepingColumn(name) && name != zoocol::Epoch)
                    names.push_back(name);
            for (const std::string &name : names)
                mColumns.push_back(columnOnMap(*zoo, checkpoints, name));
        }
        endResetModel();
    }

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : mRows; }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(mColumns.size()); }

    QVariant data(const QModelIndex &index, int role) const override
    {
        const Column &column = mColumns[size_t(index.column())];
        if (role == Qt::DisplayRole)
            return QString::fromStdString(column.displayValue(index.row()));
        if (role == Qt::UserRole) // sorting: numbers as numbers
            return column.isText() ? QVariant(QString::fromStdString(column.text(index.row()))) : QVariant(column.number(index.row()));
        if (role == Qt::TextAlignmentRole && !column.isText())
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::BackgroundRole && size_t(index.row()) < mMarked.size() && mMarked[size_t(index.row())])
            return mMarkColour;
        return {};
    }

    // Rows of the map's selection, drawn highlighted. A flag per row rather than Qt's selection
    // model: that one is quadratic in the number of separate row ranges (minutes for 50,000
    // scattered rows), this is one signal.
    void setMarked(std::vector<bool> marked, const QColor &colour)
    {
        mMarked = std::move(marked);
        mMarkColour = colour;
        if (mRows > 0 && !mColumns.empty())
            Q_EMIT dataChanged(index(0, 0), index(mRows - 1, int(mColumns.size()) - 1), {Qt::BackgroundRole});
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        if (orientation == Qt::Horizontal)
            return QString::fromStdString(mColumns[size_t(section)].name());
        return section; // the point's index on the map
    }

    const std::vector<Column> &columns() const { return mColumns; }

    int columnOf(const QString &name) const
    {
        for (size_t i = 0; i < mColumns.size(); ++i)
            if (mColumns[i].name() == name.toStdString())
                return int(i);
        return -1;
    }

private:
    std::vector<Column> mColumns;
    int mRows = 0;
    std::vector<bool> mMarked;
    QColor mMarkColour;
};

// Rows pass the search text (any column) and, when asked, the filter expression.
class CheckpointRowFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setMatches(std::vector<bool> matches, bool matchingOnly)
    {
        mMatches = std::move(matches);
        mMatchingOnly = matchingOnly;
        invalidate();
    }
    // Case-insensitive text anywhere in a row (QSortFilterProxyModel's own search formats every
    // cell of every row on every keystroke). Both refilter with invalidate(): one layout change
    // instead of a removal per run of rows, which the vertical header handles in quadratic time
    // (about a second at 100,000 rows).
    void setSearch(const QString &text)
    {
        mNeedle = text.toLower().toStdString();
        invalidate();
    }
    void forgetRows() { mTexts.clear(); } // the model was reset

protected:
    // Compares the columns' own numbers and texts: sorting through data() would make two
    // QVariants per comparison (seconds at a million rows). Missing numbers (NaN) sort last.
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        const auto *model = static_cast<const CheckpointTableModel *>(sourceModel());
        const Column &column = model->columns()[size_t(left.column())];
        if (column.isText())
            return column.text(left.row()) < column.text(right.row());
        const double a = column.number(left.row()), b = column.number(right.row());
        if (std::isnan(a) || std::isnan(b))
            return !std::isnan(a) && std::isnan(b);
        return a < b;
    }

    bool filterAcceptsRow(int row, const QModelIndex &) const override
    {
        if (mMatchingOnly && size_t(row) < mMatches.size() && !mMatches[size_t(row)])
            return false;
        if (mNeedle.empty())
            return true;
        if (mTexts.empty()) { // indexed at the first search (~0.3 s at 100,000 rows), kept until a reset
            const auto *model = static_cast<const CheckpointTableModel *>(sourceModel());
            mTexts = searchTexts(model->columns(), model->rowCount());
        }
        return size_t(row) < mTexts.size() && mTexts[size_t(row)].find(mNeedle) != std::string::npos;
    }

private:
    std::vector<bool> mMatches;
    bool mMatchingOnly = false;
    std::string mNeedle;
    mutable std::vector<std::string> mTexts; // built at the first search
};

CheckpointTable::CheckpointTable(QWidget *parent) : QWidget(parent)
{
    setObjectName("checkpointTable");
    mModel = new CheckpointTableModel(this);
    mProxy = new CheckpointRowFilter(this);
    mProxy->setSourceModel(mModel);
    mProxy->setSortRole(Qt::UserRole);
    mView = new QTableView;
    mView->setModel(mProxy);
    mView->setSortingEnabled(true);
    mView->sortByColumn(-1, Qt::AscendingOrder); // map order until a header is clicked
    mView->setSelectionBehavior(QAbstractItemView::SelectRows);
    mView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mView->verticalHeader()->setDefaultSectionSize(mView->fontMetrics().height() + 6);
    mView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    mView->setMinimumHeight(mView->verticalHeader()->defaultSectionSize() * 2); // small windows keep their size
    mSearch = new QLineEdit;
    mSearch->setObjectName("tableSearch");
    mSearch->setClearButtonEnabled(true);
    mSearch->setPlaceholderText(tr("Search every column"));
    mMatchingOnly = new QCheckBox(tr("Only rows matching the filter"));
    mMatchingOnly->setObjectName("matchingOnly");
    mCount = new QLabel;
    auto *bar = new QHBoxLayout;
    bar->addWidget(mSearch, 1);
    bar->addWidget(mMatchingOnly);
    bar->addWidget(mCount);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(mView, 1);

    connect(mSearch, &QLineEdit::textChanged, this, [this](const QString &text) {
        changeRows([&] { mProxy->setSearch(text); });
    });
    connect(mMatchingOnly, &QCheckBox::toggled, this, [this](bool on) {
        std::vector<bool> matches = mMatches;
        changeRows([&] { mProxy->setMatches(std::move(matches), on); });
    });
    connect(mView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!mSyncing)
            Q_EMIT pointsSelected(rowsSelectedHere());
    });
    connect(mView, &QTableView::activated, this,
            [this](const QModelIndex &index) { Q_EMIT pointActivated(mProxy->mapToSource(index).row()); });
}

CheckpointTable::~CheckpointTable() = default;

void CheckpointTable::showCheckpoints(const Zoo *zoo, const std::vector<int64_t> &checkpoints)
{
    mSyncing = true;
    mModel->reset(zoo, checkpoints);
    mProxy->forgetRows();
    mMatches.clear();
    mMapSelection.clear();
    mProxy->setMatches({}, mMatchingOnly->isChecked());
    mView->resizeColumnsToContents();
    mSyncing = false;
    updateCount();
}

void CheckpointTable::setFilterMatches(const std::vector<bool> &matches)
{
    mMatches = matches;
    changeRows([&] { mProxy->setMatches(matches, mMatchingOnly->isChecked()); });
}

void CheckpointTable::changeRows(const std::function<void()> &change)
{
    // Rows leaving the view leave Qt's selection one block at a time; those are not the user's
    // choices (the map keeps its selection, still marked on the rows that remain).
    mSyncing = true;
    change();
    mSyncing = false;
    updateCount();
}

void CheckpointTable::setSelectedPoints(const std::vector<int> &points)
{
    mMapSelection = points;
    std::vector<bool> marked(size_t(mModel->rowCount()), false);
    for (int point : points)
        if (point >= 0 && size_t(point) < marked.size())
            marked[size_t(point)] = true;
    QColor colour = mView->palette().color(QPalette::Highlight);
    colour.setAlpha(110);
    mModel->setMarked(std::move(marked), colour);
    if (rowsSelectedHere() != points) { // made elsewhere (the map, undo): the table's own goes
        mSyncing = true;
        mView->selectionModel()->clearSelection();
        mSyncing = false;
    }
}

void CheckpointTable::setCurrentPoint(int point)
{
    if (point < 0 || point >= mModel->rowCount())
        return;
    const QModelIndex index = mProxy->mapFromSource(mModel->index(point, 0));
    if (index.isValid())
        mView->scrollTo(index);
}

std::vector<int> CheckpointTable::selectedPoints() const { return mMapSelection; }

std::vector<int> CheckpointTable::rowsSelectedHere() const
{
    // From the ranges: QItemSelectionModel::selectedRows() tests every row against every range.
    std::vector<int> points;
    for (const QItemSelectionRange &range : mView->selectionModel()->selection())
        for (int row = range.top(); row <= range.bottom(); ++row)
            points.push_back(mProxy->mapToSource(mProxy->index(row, 0)).row());
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    return points;
}

int CheckpointTable::visibleRows() const { return mProxy->rowCount(); }

void CheckpointTable::sortByColumn(const QString &name, bool ascending)
{
    const int column = mModel->columnOf(name);
    if (column >= 0)
        mView->sortByColumn(column, ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
}

void CheckpointTable::updateCount()
{
    mCount->setText(tr("%1 of %2 rows").arg(mProxy->rowCount()).arg(mModel->rowCount()));
}

} // namespace wse
