// MapControls and the explorer's document: the widgets show the document's view, and what the user
// picks or types becomes one of its edits (an undo step).
#include "panels/mapcontrols.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"
#include "panels/legendwidget.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QStandardItemModel>

#include <algorithm>

namespace wse {

void MapControls::setDocument(ExplorerDocument *document, std::function<bool(ProjectionMethod)> mayComputeLayout)
{
    mDocument = document;
    connect(document, &ExplorerDocument::changed, this, &MapControls::react);
    connect(mapBox, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { mDocument->setMapSource(MapSource(mapBox->itemData(index).toInt())); });
    connect(layoutBox, qOverload<int>(&QComboBox::activated), this, [this, mayComputeLayout](int index) {
        const auto method = ProjectionMethod(layoutBox->itemData(index).toInt());
        if (method == mDocument->view().layout || !mayComputeLayout || mayComputeLayout(method))
            mDocument->setLayoutMethod(method);
        const QSignalBlocker blocker(layoutBox);
        layoutBox->setCurrentIndex(layoutBox->findData(int(mDocument->view().layout)));
    });
    connect(colourBox, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { mDocument->colourBy(colourBox->itemText(index)); });
    connect(this, &MapControls::colourOptionsChanged, this, [this] { mDocument->setColourOptions(colourOptions()); });
    connect(sizeBox, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { mDocument->setSizeBy(index > 0 ? sizeBox->itemText(index) : QString()); });
    connect(filterEdit, &QLineEdit::returnPressed, this, [this] { mDocument->setFilter(filterEdit->text()); });
    connect(filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            mDocument->setFilter({}); // the clear button
    });
    connect(legend, &LegendWidget::hiddenCategoriesChanged, this,
            [this](const QStringList &hidden) { mDocument->setHiddenCategories(hidden); });
}

void MapControls::react(const ChangeEvent &event)
{
    const ViewSettings &view = mDocument->view();
    using Type = ChangeEvent::Type;
    switch (event.type) {
    case Type::Opened:
        showColumns();
        break;
    case Type::MapsAdded:
        showMapAvailability();
        break;
    case Type::Map:
    case Type::Layout: {
        const QSignalBlocker map(mapBox), layout(layoutBox);
        mapBox->setCurrentIndex(mapBox->findData(int(view.map)));
        layoutBox->setCurrentIndex(layoutBox->findData(int(view.layout)));
        break;
    }
    case Type::Colouring: {
        const QSignalBlocker box(colourBox), legendSignals(legend);
        colourBox->setCurrentText(view.colourBy);
        setColourOptions(view.colourOptions);
        legend->showColouring(mDocument->colouring());
        legend->setHiddenCategories(view.hidden);
        break;
    }
    case Type::Hidden: {
        const QSignalBlocker legendSignals(legend);
        legend->setHiddenCategories(view.hidden);
        break;
    }
    case Type::SizeBy: {
        const QSignalBlocker box(sizeBox);
        sizeBox->setCurrentIndex(std::max(0, view.sizeBy.isEmpty() ? 0 : sizeBox->findText(view.sizeBy)));
        break;
    }
    case Type::Filter:
        showFilter();
        break;
    default:
        break;
    }
}

void MapControls::showColumns()
{
    const QSignalBlocker map(mapBox), colour(colourBox), size(sizeBox);
    const int sane = mapBox->findData(int(MapSource::SaneEmbeddings));
    const bool hasSane = mDocument->zoo() && mDocument->zoo()->hasMap(MapSource::SaneEmbeddings);
    if (hasSane && sane < 0)
        mapBox->addItem(QString::fromStdString(mapSourceDescription(MapSource::SaneEmbeddings)), int(MapSource::SaneEmbeddings));
    else if (!hasSane && sane >= 0)
        mapBox->removeItem(sane);
    showMapAvailability();
    colourBox->clear();
    colourBox->addItems(mDocument->colourableColumns());
    sizeBox->clear();
    sizeBox->addItem(tr("uniform"));
    sizeBox->addItems(mDocument->sizeColumns());
}

void MapControls::showWeightMapsProgress(int percent)
{
    if (mDocument && mDocument->zoo() && mDocument->zoo()->weightMapsPending())
        showMapAvailability(percent);
}

void MapControls::showMapAvailability(int percent)
{
    auto *items = qobject_cast<QStandardItemModel *>(mapBox->model());
    const ZooDocument *zoo = mDocument->zoo();
    for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics}) {
        QStandardItem *item = items ? items->item(mapBox->findData(int(source))) : nullptr;
        if (!item)
            continue;
        const bool pending = zoo && zoo->weightMapsPending();
        const QString name = QString::fromStdString(mapSourceDescription(source));
        item->setEnabled(!pending);
        item->setText(!pending ? name : percent < 0 ? tr("%1 (computing ...)").arg(name) : tr("%1 (computing, %2%)").arg(name).arg(percent));
        item->setToolTip(pending ? tr("A zoo this large opens on its SANE map; its weight maps are read from the zoo "
                                      "file in the background and can be chosen when ready.")
                                 : QString());
    }
}

// The expression as the document holds it, and below it the matches or the parse error.
void MapControls::showFilter()
{
    const QString &filter = mDocument->view().filter;
    {
        const QSignalBlocker blocker(filterEdit);
        if (mDocument->filterError().isEmpty() && filterEdit->text().trimmed() != filter)
            filterEdit->setText(filter);
    }
    if (!mDocument->filterError().isEmpty()) {
        filterMessage->setStyleSheet("color: #b00020;");
        filterMessage->setText(mDocument->filterError());
        return;
    }
    filterMessage->setStyleSheet({});
    filterMessage->setText(filter.isEmpty() ? QString()
                                            : tr("%1 of %2 points match").arg(mDocument->matchingPoints()).arg(mDocument->pointCount()));
}

} // namespace wse
