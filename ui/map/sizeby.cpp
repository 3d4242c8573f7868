#include "map/sizeby.h"

#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/mapcolumns.h"
#include "map/mapview.h"

#include <QComboBox>
#include <QSignalBlocker>

namespace wse {

namespace {

QComboBox *sizeBoxOf(const MainWindow &window) { return window.findChild<QComboBox *>("sizeBy"); }

// A checkpoint column, or the model column a checkpoint column repeats (without building it).
const Column *columnOf(const Zoo &zoo, const std::string &name)
{
    const Column *column = zoo.checkpoints.find(name);
    return column ? column : zoo.models.find(name);
}

QStringList numericColumns(const ZooDocument &document)
{
    QStringList names;
    for (const QString &name : document.colourableColumns())
        if (const Column *column = columnOf(document.zoo(), name.toStdString()); column && !column->isText())
            names << name;
    return names;
}

// Sizes the shown map's points by the box's column (uniform for the first entry).
void applySize(MainWindow &window, QComboBox *box)
{
    const ZooDocument *document = window.document();
    if (!document)
        return;
    std::vector<double> values;
    if (box->currentIndex() > 0)
        values = columnOnMap(document->zoo(), document->map(window.mapSource()).checkpoints,
                             box->currentText().toStdString()).numbers();
    window.mapView()->setPointSizeValues(values);
}

} // namespace

void installSizeBy(MainWindow &window, QComboBox *box)
{
    box->addItem(QObject::tr("uniform"));
    QObject::connect(&window, &MainWindow::mapShown, box, [&window, box] {
        const QString previous = box->currentIndex() > 0 ? box->currentText() : QString();
        {
            const QSignalBlocker blocker(box);
            box->clear();
            box->addItem(QObject::tr("uniform"));
            if (const ZooDocument *document = window.document())
                box->addItems(numericColumns(*document));
            box->setCurrentIndex(std::max(0, box->findText(previous)));
        }
        applySize(window, box);
    });
    QObject::connect(box, qOverload<int>(&QComboBox::currentIndexChanged), &window, [&window, box] { applySize(window, box); });
}

bool sizeBy(MainWindow &window, const QString &column)
{
    QComboBox *box = sizeBoxOf(window);
    const int index = column.isEmpty() ? 0 : box->findText(column);
    if (index < 0)
        return false;
    box->setCurrentIndex(index);
    applySize(window, box); // also when the index did not change
    return true;
}

QString sizeByColumn(const MainWindow &window)
{
    const QComboBox *box = sizeBoxOf(window);
    return box->currentIndex() > 0 ? box->currentText() : QString();
}

} // namespace wse
