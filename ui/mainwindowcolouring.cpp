// MainWindow's colouring and filter of the shown map: the colouring column with its options, the
// filter expression, the points that match it.
#include "mainwindow.h"

#include "document/zoodocument.h"
#include "map/colouring.h"
#include "map/mapcolumns.h"
#include "map/mapview.h"
#include "panels/legendwidget.h"
#include "panels/mapcontrols.h"

#include "common/error.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>

#include <algorithm>

namespace wse {

bool MainWindow::colourBy(const QString &column)
{
    if (!mDocument || !mDocument->colourableColumns().contains(column))
        return false;
    const WeightMap &map = mDocument->map(mMapSource);
    Colouring colouring = wse::colourBy(columnOnMap(mDocument->zoo(), map.checkpoints, column.toStdString()), mControls->colourOptions());
    if (!mFilter.isEmpty()) {
        try {
            const std::vector<bool> matches = filterMask(mDocument->zoo(), map.checkpoints, mFilter.toStdString());
            for (size_t i = 0; i < matches.size(); ++i)
                if (!matches[i])
                    colouring.colours[i] = Rgb{222, 222, 222};
        } catch (const Error &error) { // e.g. a zoo without a column the filter names
            mFilter.clear();
            mFilterMessage->setStyleSheet("color: #b00020;");
            mFilterMessage->setText(QString::fromStdString(error.what()));
        }
    }
    mMapView->setColouring(colouring);
    mLegend->showColouring(colouring);
    mMapView->setHiddenPoints({});
    const QSignalBlocker blocker(mColourBox);
    mColourBox->setCurrentText(column);
    return true;
}

QString MainWindow::colouringColumn() const { return mColourBox->currentText(); }

bool MainWindow::setFilter(const QString &expression)
{
    const QString trimmed = expression.trimmed();
    if (mDocument && !trimmed.isEmpty()) {
        try {
            filterMask(mDocument->zoo(), mDocument->map(mMapSource).checkpoints, trimmed.toStdString());
        } catch (const Error &error) {
            mFilterMessage->setStyleSheet("color: #b00020;");
            mFilterMessage->setText(QString::fromStdString(error.what()));
            return false;
        }
    }
    mFilter = trimmed;
    {
        const QSignalBlocker blocker(mFilterEdit);
        if (mFilterEdit->text().trimmed() != trimmed)
            mFilterEdit->setText(trimmed);
    }
    mFilterMessage->setStyleSheet({});
    if (mDocument) {
        colourBy(colouringColumn());
        Q_EMIT filterChanged();
        mFilterMessage->setText(trimmed.isEmpty() ? QString()
                                                  : tr("%1 of %2 points match").arg(matchingPoints()).arg(mMapView->pointCount()));
    }
    return true;
}

QString MainWindow::filterError() const
{
    return mFilterMessage->styleSheet().isEmpty() ? QString() : mFilterMessage->text();
}

int MainWindow::matchingPoints() const
{
    if (!mDocument)
        return 0;
    if (mFilter.isEmpty())
        return int(mDocument->map(mMapSource).checkpoints.size());
    const std::vector<bool> matches = filterMatches();
    return int(std::count(matches.begin(), matches.end(), true));
}

std::vector<bool> MainWindow::filterMatches() const
{
    if (!mDocument || mFilter.isEmpty())
        return {};
    try {
        return filterMask(mDocument->zoo(), mDocument->map(mMapSource).checkpoints, mFilter.toStdString());
    } catch (const Error &) { // a filter naming a column this zoo lacks: colourBy drops it
        return {};
    }
}

} // namespace wse
