#include "panels/checkpointtable.h"

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

namespace wse {

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
        return {};
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        if (orientation == Qt::Horizontal)
            return QString::fromStdString(mColumns[size_t(section)].name());
        return section; // the point's index on the map
    }

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
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (mMatchingOnly && size_t(row) < mMatches.size() && !mMatches[size_t(row)])
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

private:
    std::vector<bool> mMatches;
    bool mMatchingOnly = false;
};

CheckpointTable::CheckpointTable(QWidget *parent) : QWidget(parent)
{
    setObjectName("checkpointTable");
    mModel = new CheckpointTableModel(this);
    mProxy = new CheckpointRowFilter(this);
    mProxy->setSourceModel(mModel);
    mProxy->setSortRole(Qt::UserRole);
    mProxy->setFilterKeyColumn(-1);
    mProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
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
        mProxy->setFilterFixedString(text);
        updateCount();
    });
    connect(mMatchingOnly, &QCheckBox::toggled, this, [this](bool on) {
        std::vector<bool> matches = mMatches;
        mProxy->setMatches(std::move(matches), on);
        updateCount();
    });
    connect(mView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!mSyncing)
            Q_EMIT pointsSelected(selectedPoints());
    });
    connect(mView, &QTableView::activated, this,
            [this](const QModelIndex &index) { Q_EMIT pointActivated(mProxy->mapToSource(index).row()); });
}

CheckpointTable::~CheckpointTable() = default;

void CheckpointTable::showCheckpoints(const Zoo *zoo, const std::vector<int64_t> &checkpoints)
{
    mSyncing = true;
    mModel->reset(zoo, checkpoints);
    mMatches.clear();
    mProxy->setMatches({}, mMatchingOnly->isChecked());
    mView->resizeColumnsToContents();
    mSyncing = false;
    updateCount();
}

void CheckpointTable::setFilterMatches(const std::vector<bool> &matches)
{
    mMatches = matches;
    mProxy->setMatches(matches, mMatchingOnly->isChecked());
    updateCount();
}

void CheckpointTable::setSelectedPoints(const std::vector<int> &points)
{
    QItemSelection selection;
    const int last = mModel->columnCount() - 1;
    // Runs of consecutive points are one range: a big selection stays cheap.
    for (size_t i = 0; i < points.size();) {
        size_t j = i;
        while (j + 1 < points.size() && points[j + 1] == points[j] + 1)
            ++j;
        selection.select(mModel->index(points[i], 0), mModel->index(points[j], std::max(0, last)));
        i = j + 1;
    }
    mSyncing = true;
    mView->selectionModel()->select(mProxy->mapSelectionFromSource(selection),
                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    mSyncing = false;
}

void CheckpointTable::setCurrentPoint(int point)
{
    if (point < 0 || point >= mModel->rowCount())
        return;
    const QModelIndex index = mProxy->mapFromSource(mModel->index(point, 0));
    if (index.isValid())
        mView->scrollTo(index);
}

std::vector<int> CheckpointTable::selectedPoints() const
{
    std::vector<int> points;
    for (const QModelIndex &row : mView->selectionModel()->selectedRows())
        points.push_back(mProxy->mapToSource(row).row());
    std::sort(points.begin(), points.end());
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
