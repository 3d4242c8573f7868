#include "panels/checkpointtable.h"

#include "panels/checkpointrows.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelection>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

#include <QEvent>

#include <algorithm>

namespace wse {

CheckpointTable::CheckpointTable(QWidget *parent) : QWidget(parent)
{
    setObjectName("checkpointTable");
    mModel = new CheckpointRows(this);
    mView = new QTableView;
    mView->setModel(mModel);
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

    mSearch->installEventFilter(this); // its focus starts the search index
    connect(mSearch, &QLineEdit::textChanged, this, [this](const QString &text) {
        changeRows([&] { mModel->setSearch(text); });
    });
    connect(mMatchingOnly, &QCheckBox::toggled, this, [this](bool on) {
        std::vector<bool> matches = mMatches;
        changeRows([&] { mModel->setMatches(std::move(matches), on); });
    });
    connect(mView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!mSyncing)
            Q_EMIT pointsSelected(rowsSelectedHere());
    });
    connect(mView, &QTableView::activated, this,
            [this](const QModelIndex &index) { Q_EMIT pointActivated(mModel->pointAt(index.row())); });
}

CheckpointTable::~CheckpointTable() = default;

bool CheckpointTable::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == mSearch && event->type() == QEvent::FocusIn)
        mModel->prepareSearch();
    return QWidget::eventFilter(watched, event);
}

void CheckpointTable::showCheckpoints(const Zoo *zoo, const std::vector<int64_t> &checkpoints)
{
    mSyncing = true;
    mModel->reset(zoo, checkpoints);
    mMatches.clear();
    mMapSelection.clear();
    if (const int column = mView->horizontalHeader()->sortIndicatorSection(); column >= 0 && column < mModel->columnCount())
        mModel->sort(column, mView->horizontalHeader()->sortIndicatorOrder()); // the order the header shows
    mView->resizeColumnsToContents();
    mSyncing = false;
    updateCount();
}

void CheckpointTable::setFilterMatches(const std::vector<bool> &matches)
{
    mMatches = matches;
    changeRows([&] { mModel->setMatches(matches, mMatchingOnly->isChecked()); });
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
    std::vector<bool> marked(size_t(mModel->totalRows()), false);
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
    if (const int row = mModel->rowOf(point); row >= 0)
        mView->scrollTo(mModel->index(row, 0));
}

std::vector<int> CheckpointTable::selectedPoints() const { return mMapSelection; }

std::vector<int> CheckpointTable::rowsSelectedHere() const
{
    // From the ranges: QItemSelectionModel::selectedRows() tests every row against every range.
    std::vector<int> points;
    for (const QItemSelectionRange &range : mView->selectionModel()->selection())
        for (int row = range.top(); row <= range.bottom(); ++row)
            points.push_back(mModel->pointAt(row));
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    return points;
}

int CheckpointTable::visibleRows() const { return mModel->rowCount(); }

void CheckpointTable::sortByColumn(const QString &name, bool ascending)
{
    const int column = mModel->columnOf(name);
    if (column >= 0)
        mView->sortByColumn(column, ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
}

void CheckpointTable::updateCount()
{
    mCount->setText(tr("%1 of %2 rows").arg(mModel->rowCount()).arg(mModel->totalRows()));
}

} // namespace wse
