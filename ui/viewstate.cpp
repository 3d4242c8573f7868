#include "viewstate.h"

#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/sizeby.h"
#include "map/mapview.h"

#include "common/error.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace wse {

QString viewStateOf(const MainWindow &window)
{
    QJsonObject state;
    state["map"] = QString::fromStdString(mapSourceName(window.mapSource()));
    state["layout"] = QString::fromStdString(methodName(window.layoutMethod()));
    state["colour_by"] = window.colouringColumn();
    state["size_by"] = sizeByColumn(window);
    state["filter"] = window.filter();
    state["flat"] = window.mapView()->isTwoDimensional();
    const int selected = window.mapView()->selectedPoint();
    if (window.document() && selected >= 0)
        state["selected_checkpoint"] = qint64(window.document()->checkpointOf(window.mapSource(), selected));
    QJsonArray selection;
    for (int64_t checkpoint : window.selectedCheckpoints())
        selection.append(qint64(checkpoint));
    if (!selection.isEmpty())
        state["selection"] = selection;
    return QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact));
}

void applyViewState(MainWindow &window, const QString &json)
{
    const QJsonObject state = QJsonDocument::fromJson(json.toUtf8()).object();
    try {
        if (state.contains("map"))
            window.setMapSource(mapSourceFromName(state["map"].toString().toStdString()));
        if (state.contains("layout"))
            window.setLayoutMethod(methodFromName(state["layout"].toString().toStdString()));
    } catch (const Error &) {
        return; // a view from another version: keep the defaults
    }
    if (state.contains("flat") && window.mapView()->isTwoDimensional() != state["flat"].toBool()) {
        for (QAction *action : window.findChildren<QAction *>("flatMap")) // keeps the menu's check mark true
            action->setChecked(state["flat"].toBool());
        window.mapView()->setTwoDimensional(state["flat"].toBool());
    }
    if (state.contains("colour_by"))
        window.colourBy(state["colour_by"].toString());
    if (state.contains("size_by"))
        sizeBy(window, state["size_by"].toString());
    if (state.contains("filter"))
        window.setFilter(state["filter"].toString());
    std::vector<int64_t> selection;
    for (const QJsonValue &checkpoint : state["selection"].toArray())
        selection.push_back(checkpoint.toInteger());
    window.selectCheckpoints(selection); // a view without a selection clears it
    if (state.contains("selected_checkpoint") && window.document()) {
        const std::vector<int64_t> &points = window.document()->map(window.mapSource()).checkpoints;
        const auto it = std::find(points.begin(), points.end(), int64_t(state["selected_checkpoint"].toInteger()));
        if (it != points.end())
            window.selectPoint(int(it - points.begin()));
    }
}

} // namespace wse
