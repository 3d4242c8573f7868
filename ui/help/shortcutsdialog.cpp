#include "help/shortcutsdialog.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wse {

namespace {

QString withoutMnemonic(QString text)
{
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove('&');
    return text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
}

void collect(const QMenu &menu, const QString &path, QList<ShortcutEntry> &entries)
{
    for (QAction *action : menu.actions()) {
        if (QMenu *submenu = action->menu()) {
            collect(*submenu, path + QStringLiteral(" > ") + withoutMnemonic(submenu->title()), entries);
            continue;
        }
        for (const QKeySequence &key : action->shortcuts())
            entries.append({path, withoutMnemonic(action->text()), key.toString(QKeySequence::NativeText)});
    }
}

// The map's gestures are not actions; they are listed as the map view handles them.
QList<ShortcutEntry> mapGestures()
{
    const QString map = QObject::tr("Map (mouse)");
    return {{map, QObject::tr("Turn the map"), QObject::tr("Left drag")},
            {map, QObject::tr("Pan"), QObject::tr("Middle drag, or Left drag on a 2D map")},
            {map, QObject::tr("Zoom"), QObject::tr("Wheel, or Right drag")},
            {map, QObject::tr("Show a checkpoint's details"), QObject::tr("Click a point")},
            {map, QObject::tr("Select a region"), QObject::tr("Shift+Drag")},
            {map, QObject::tr("Add to / remove from / intersect the selection"),
             QObject::tr("Ctrl / Alt / Ctrl+Alt with Shift+Drag")},
            {map, QObject::tr("Decode a spot, sample, select none"), QObject::tr("Right click (SANE map)")}};
}

} // namespace

QList<ShortcutEntry> menuShortcuts(const QMenuBar &bar)
{
    QList<ShortcutEntry> entries;
    for (QAction *top : bar.actions())
        if (QMenu *menu = top->menu())
            collect(*menu, withoutMnemonic(menu->title()), entries);
    return entries;
}

void showShortcutsDialog(QWidget *parent, const QMenuBar &bar)
{
    QList<ShortcutEntry> entries = menuShortcuts(bar);
    entries += mapGestures();
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Keyboard Shortcuts"));
    auto *table = new QTableWidget(int(entries.size()), 3);
    table->setObjectName("shortcutsTable");
    table->setHorizontalHeaderLabels({QObject::tr("Keys"), QObject::tr("Action"), QObject::tr("Menu")});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    for (int row = 0; row < entries.size(); ++row) {
        table->setItem(row, 0, new QTableWidgetItem(entries[row].shortcut));
        table->setItem(row, 1, new QTableWidgetItem(entries[row].action));
        table->setItem(row, 2, new QTableWidgetItem(entries[row].menu));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *search = new QLineEdit;
    search->setPlaceholderText(QObject::tr("Find a key or an action"));
    search->setClearButtonEnabled(true);
    QObject::connect(search, &QLineEdit::textChanged, table, [table](const QString &text) {
        for (int row = 0; row < table->rowCount(); ++row) {
            bool match = text.isEmpty();
            for (int column = 0; column < 3 && !match; ++column)
                match = table->item(row, column)->text().contains(text, Qt::CaseInsensitive);
            table->setRowHidden(row, !match);
        }
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(search);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(720, 640);
    dialog.exec();
}

} // namespace wse
