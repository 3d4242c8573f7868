#include "viewstate.h"

#include "document/zoodocument.h"
#include "mainwindow.h"
#include "map/sizeby.h"
#include "map/mapview.h"
#include "panels/legendwidget.h"
#include "panels/mapcontrols.h"

#include "common/error.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace wse {

QString viewStateOf(const MainWindow &window, bool withSelection)
{
    QJsonObject state;
    state["map"] = QString::fromStdString(mapSourceName(window.mapSource()));
    state["layout"] = QString::fromStdString(methodName(window.layoutMethod()));
    state["colour_by"] = window.colouringColumn();
    state["size_by"] = sizeByColumn(window);
    state["filter"] = window.filter();
    state["flat"] = window.mapView()->isTwoDimensional();
    const ColourOptions options = window.mapControls()->colourOptions();
    state["colour_scale"] = options.scale == ColourScale::Diverging ? "diverging" : "viridis";
    if (options.fixedRange)
        state["colour_range"] = QJsonArray{options.minimum, options.maximum};
    const QStringList hidden = window.mapControls()->legend->hiddenCategories();
    if (!hidden.isEmpty())
        state["hidden"] = QJsonArray::fromStringList(hidden);
    if (!withSelection)
        return QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact));
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

void applyViewState(MainWindow &window, const QString &json, bool withSelection)
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
    if (state.contains("colour_scale")) { // before the column: colouring reads the options
        ColourOptions options;
        options.scale = state["colour_scale"].toString() == "diverging" ? ColourScale::Diverging : ColourScale::Viridis;
        const QJsonArray range = state["colour_range"].toArray();
        options.fixedRange = range.size() == 2 && range[0].toDouble() < range[1].toDouble();
        options.minimum = range.size() == 2 ? range[0].toDouble() : 0.0;
        options.maximum = range.size() == 2 ? range[1].toDouble() : 1.0;
        window.mapControls()->setColourOptions(options);
    }
    if (state.contains("colour_by"))
        window.colourBy(state["colour_by"].toString());
    if (state.contains("size_by"))
        sizeBy(window, state["size_by"].toString());
    if (state.contains("filter"))
        window.setFilter(state["filter"].toString());
    if (state.contains("colour_by")) // colouring shows every category; then hide those the view hid
        window.mapControls()->legend->setHiddenCategories(state["hidden"].toVariant().toStringList());
    if (!withSelection)
        return;
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
