#include "document/viewsettings.h"

#include "common/error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wse {

bool operator==(const ColourOptions &a, const ColourOptions &b)
{
    return a.scale == b.scale && a.fixedRange == b.fixedRange &&
           (!a.fixedRange || (a.minimum == b.minimum && a.maximum == b.maximum));
}

bool operator==(const ViewSettings &a, const ViewSettings &b)
{
    return a.map == b.map && a.layout == b.layout && a.colourBy == b.colourBy && a.colourOptions == b.colourOptions &&
           a.sizeBy == b.sizeBy && a.filter == b.filter && a.hidden == b.hidden && a.flat == b.flat &&
           a.isolated == b.isolated;
}

QString viewToJson(const ViewSettings &settings, const std::vector<int64_t> *selection, int64_t current)
{
    QJsonObject state;
    state["map"] = QString::fromStdString(mapSourceName(settings.map));
    state["layout"] = QString::fromStdString(methodName(settings.layout));
    state["colour_by"] = settings.colourBy;
    state["size_by"] = settings.sizeBy;
    state["filter"] = settings.filter;
    state["flat"] = settings.flat;
    const ColourOptions &options = settings.colourOptions;
    state["colour_scale"] = options.scale == ColourScale::Diverging ? "diverging" : "viridis";
    if (options.fixedRange)
        state["colour_range"] = QJsonArray{options.minimum, options.maximum};
    if (!settings.hidden.isEmpty())
        state["hidden"] = QJsonArray::fromStringList(settings.hidden);
    if (settings.isolated)
        state["isolated"] = true;
    if (selection) {
        if (current >= 0)
            state["selected_checkpoint"] = qint64(current);
        QJsonArray selected;
        for (int64_t checkpoint : *selection)
            selected.append(qint64(checkpoint));
        if (!selected.isEmpty())
            state["selection"] = selected;
    }
    return QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact));
}

namespace {

ColourOptions colourOptionsFrom(const QJsonObject &state)
{
    ColourOptions options;
    options.scale = state["colour_scale"].toString() == "diverging" ? ColourScale::Diverging : ColourScale::Viridis;
    const QJsonArray range = state["colour_range"].toArray();
    options.fixedRange = range.size() == 2 && range[0].toDouble() < range[1].toDouble();
    options.minimum = options.fixedRange ? range[0].toDouble() : 0.0;
    options.maximum = options.fixedRange ? range[1].toDouble() : 1.0;
    return options;
}

} // namespace

std::optional<ViewState> viewFromJson(const QString &json, const ViewSettings &base)
{
    const QJsonObject state = QJsonDocument::fromJson(json.toUtf8()).object();
    ViewState view{base, {}, -1};
    ViewSettings &settings = view.settings;
    try {
        if (state.contains("map"))
            settings.map = mapSourceFromName(state["map"].toString().toStdString());
        if (state.contains("layout"))
            settings.layout = methodFromName(state["layout"].toString().toStdString());
    } catch (const Error &) {
        return std::nullopt;
    }
    if (state.contains("flat"))
        settings.flat = state["flat"].toBool();
    if (state.contains("colour_scale"))
        settings.colourOptions = colourOptionsFrom(state);
    if (state.contains("colour_by")) { // a colouring shows every category but those the view hid
        settings.colourBy = state["colour_by"].toString();
        settings.hidden = state["hidden"].toVariant().toStringList();
    }
    if (state.contains("size_by"))
        settings.sizeBy = state["size_by"].toString();
    if (state.contains("filter"))
        settings.filter = state["filter"].toString().trimmed();
    settings.isolated = state["isolated"].toBool();
    for (const QJsonValue &checkpoint : state["selection"].toArray())
        view.selection.push_back(checkpoint.toInteger());
    if (state.contains("selected_checkpoint"))
        view.current = state["selected_checkpoint"].toInteger();
    return view;
}

} // namespace wse
