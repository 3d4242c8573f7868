#include "panels/legendwidget.h"

#include <QPainter>
#include <QPixmap>

namespace wse {

LegendWidget::LegendWidget(QWidget *parent)
    : QListWidget(parent)
{
    setObjectName("legend");
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setIconSize(QSize(14, 14));
    setWordWrap(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setToolTip(tr("Untick a category to hide its points; double-click one to show it alone (again: show all)."));
    connect(this, &QListWidget::itemChanged, this, [this] { Q_EMIT hiddenCategoriesChanged(hiddenCategories()); });
    connect(this, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem *item) {
        const QString category = item->data(Qt::UserRole).toString();
        if (category.isEmpty())
            return;
        const bool isolated = hiddenCategories().size() == count() - 1 && item->checkState() == Qt::Checked;
        isolated ? showAll() : isolate(category);
    });
}

namespace {

// Category entries carry a check box; a numeric colouring's lines of text do not (though list
// items are user-checkable by default).
bool isCategory(const QListWidgetItem *item)
{
    return (item->flags() & Qt::ItemIsUserCheckable) && item->data(Qt::CheckStateRole).isValid();
}

} // namespace

QStringList LegendWidget::hiddenCategories() const
{
    QStringList hidden;
    for (int i = 0; i < count(); ++i)
        if (isCategory(item(i)) && item(i)->checkState() == Qt::Unchecked)
            hidden << item(i)->data(Qt::UserRole).toString();
    return hidden;
}

void LegendWidget::setChecked(const std::function<bool(const QString &)> &shown)
{
    {
        const QSignalBlocker blocker(this);
        for (int i = 0; i < count(); ++i)
            if (isCategory(item(i)))
                item(i)->setCheckState(shown(item(i)->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    Q_EMIT hiddenCategoriesChanged(hiddenCategories());
}

void LegendWidget::isolate(const QString &category)
{
    setChecked([&](const QString &name) { return name == category; });
}

void LegendWidget::setHiddenCategories(const QStringList &hidden)
{
    setChecked([&](const QString &name) { return !hidden.contains(name); });
}

void LegendWidget::showAll()
{
    setChecked([](const QString &) { return true; });
}

static QIcon swatch(const Rgb &colour)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QColor(60, 60, 60));
    painter.setBrush(QColor(colour.r, colour.g, colour.b));
    painter.drawEllipse(QRectF(1, 1, 12, 12));
    return QIcon(pixmap);
}

void LegendWidget::showColouring(const Colouring &colouring)
{
    clear();
    if (!colouring.categorical) {
        addItem(tr("%1 from %2 to %3").arg(QString::fromStdString(colouring.title))
                    .arg(colouring.minimum, 0, 'g', 4)
                    .arg(colouring.maximum, 0, 'g', 4));
        addItem(colouring.scale == ColourScale::Diverging ? tr("diverging (blue to red) colour map; see the colour bar in the map")
                                                          : tr("viridis colour map; see the colour bar in the map"));
        fitHeightToRows();
        return;
    }
    setMinimumHeight(0); // categories: as tall as the dock allows, scrolling beyond
    setMaximumHeight(QWIDGETSIZE_MAX);
    const QSignalBlocker blocker(this);
    for (const LegendEntry &entry : colouring.legend) {
        auto *item = new QListWidgetItem(swatch(entry.colour), tr("%1  (%2)").arg(QString::fromStdString(entry.label)).arg(entry.count));
        item->setData(Qt::UserRole, QString::fromStdString(entry.label));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        addItem(item);
    }
}

// A few lines of text: the list is as tall as they are, and the dock keeps the rest.
void LegendWidget::fitHeightToRows()
{
    int height = 2 * frameWidth();
    for (int row = 0; row < count(); ++row)
        height += sizeHintForRow(row);
    setFixedHeight(height + 4);
}

} // namespace wse
