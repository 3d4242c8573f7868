#include "map/vectorfigure.h"

#include "map/mapview.h"
#include "map/maplabels.h"
#include "map/pointsizes.h"
#include "viewport/vtkopenglwidget.h"

#include "common/error.h"

#include <QFile>
#include <QFileInfo>
#include <QLinearGradient>
#include <QPageSize>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <algorithm>
#include <memory>
#include <numeric>

namespace wse {

namespace {

// The user's labels, each at the middle of its visible points as projected, dark on a light box.
void drawGroupNames(QPainter &painter, const MapView &view, const std::vector<MapView::ProjectedPoint> &points)
{
    QFont font = painter.font();
    font.setBold(true);
    painter.setFont(font);
    for (const MapView::PointGroup &group : view.pointGroups()) {
        QPointF sum;
        int count = 0;
        for (int point : group.points)
            if (size_t(point) < points.size() && !view.isHidden(point)) {
                sum += points[size_t(point)].position;
                ++count;
            }
        if (count == 0)
            continue;
        const QPointF centre = sum / count - QPointF(0, MapLabels::kRaisedPixels);
        QRectF box = painter.fontMetrics().boundingRect(group.name);
        box.adjust(-4, -2, 4, 2);
        box.moveCenter(centre);
        painter.setPen(QPen(QColor(90, 90, 102), 0.8));
        painter.setBrush(QColor(255, 255, 255, 204));
        painter.drawRect(box);
        painter.setPen(QColor(31, 31, 36));
        painter.drawText(box, Qt::AlignCenter, group.name);
    }
    font.setBold(false);
    painter.setFont(font);
}

QColor toQColor(const Rgb &c, int alpha = 255)
{
    return QColor(c.r, c.g, c.b, alpha);
}

void drawLegend(QPainter &painter, const Colouring &colouring, const QRectF &area)
{
    QFont font = painter.font();
    font.setPointSizeF(9);
    painter.setFont(font);
    const QFontMetricsF metrics(font);
    painter.setPen(QColor(40, 40, 40));
    if (colouring.categorical) {
        double y = area.top() + metrics.height();
        painter.drawText(QPointF(area.left(), y), QString::fromStdString(colouring.title));
        for (const LegendEntry &entry : colouring.legend) {
            y += metrics.height() * 1.3;
            painter.setBrush(toQColor(entry.colour));
            painter.setPen(QPen(QColor(60, 60, 60), 0.5));
            painter.drawEllipse(QPointF(area.left() + 5, y - metrics.height() * 0.3), 4.5, 4.5);
            painter.setPen(QColor(40, 40, 40));
            painter.drawText(QPointF(area.left() + 14, y),
                             QStringLiteral("%1 (%2)").arg(QString::fromStdString(entry.label)).arg(entry.count));
        }
        return;
    }
    // Continuous: a vertical viridis bar with its range.
    const QRectF bar(area.left(), area.top() + metrics.height() * 1.6, 14, area.height() * 0.6);
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 10; ++i)
        gradient.setColorAt(i / 10.0, toQColor(scaleColour(colouring.scale, i / 10.0)));
    painter.setPen(Qt::NoPen);
    painter.fillRect(bar, gradient);
    painter.setPen(QColor(40, 40, 40));
    painter.drawText(QPointF(area.left(), area.top() + metrics.height()), QString::fromStdString(colouring.title));
    painter.drawText(QPointF(bar.right() + 4, bar.top() + metrics.ascent() / 2), QString::number(colouring.maximum, 'g', 4));
    painter.drawText(QPointF(bar.right() + 4, bar.center().y() + metrics.ascent() / 2),
                     QString::number((colouring.minimum + colouring.maximum) / 2, 'g', 4));
    painter.drawText(QPointF(bar.right() + 4, bar.bottom() + metrics.ascent() / 2), QString::number(colouring.minimum, 'g', 4));
}

void drawMap(QPainter &painter, const MapView &view, const QSize &size, const QString &title, bool background = true)
{
    painter.setRenderHint(QPainter::Antialiasing);
    if (background)
        painter.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), Qt::white);
    const std::vector<MapView::ProjectedPoint> points = view.projectedPoints();
    const Colouring &colouring = view.colouring();
    std::vector<bool> selected(points.size(), view.selection().empty());
    for (int point : view.selection())
        if (size_t(point) < selected.size())
            selected[size_t(point)] = true;
    auto colourOf = [&](size_t i) {
        const Rgb colour = i < colouring.colours.size() ? colouring.colours[i] : Rgb{120, 120, 120};
        return selected[i] ? colour : fadedColour(colour);
    };
    const int lineAlpha = int(255 * view.trajectoryOpacity());
    if (view.trajectoriesVisible())
        for (const std::vector<int> &line : view.drawnTrajectories())
            for (size_t k = 1; k < line.size(); ++k) {
                painter.setPen(QPen(toQColor(colourOf(size_t(line[k - 1])), lineAlpha), 1.5));
                painter.drawLine(points[size_t(line[k - 1])].position, points[size_t(line[k])].position);
            }
    std::vector<size_t> order(points.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return points[a].depth > points[b].depth; });
    painter.setPen(QPen(QColor(50, 50, 50), 0.4));
    // As a GPU draws them (9 pixels, or sized by a column), whatever this display's renderer does.
    const std::vector<float> diameters = diametersFor(view.pointSizeValues(), 9.0f, points.size());
    for (size_t i : order) {
        if (view.isHidden(int(i)))
            continue;
        painter.setBrush(toQColor(colourOf(i)));
        painter.drawEllipse(points[i].position, diameters[i] / 2.0, diameters[i] / 2.0);
    }
    const std::vector<MapView::ProjectedPoint> generated = view.projectedOverlay();
    for (size_t i = 0; i < generated.size(); ++i) { // squares, as on the map
        painter.setBrush(i < view.overlayColours().size() ? toQColor(view.overlayColours()[i]) : QColor(25, 25, 25));
        painter.drawRect(QRectF(generated[i].position - QPointF(6.5, 6.5), QSizeF(13, 13)));
    }
    if (view.selectedPoint() >= 0 && size_t(view.selectedPoint()) < points.size()) {
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(217, 26, 89), 2.0));
        painter.drawEllipse(points[size_t(view.selectedPoint())].position, 8.0, 8.0);
    }
    drawGroupNames(painter, view, points);
    drawLegend(painter, colouring, QRectF(size.width() - 170, 10, 160, size.height() - 20));
    if (!title.isEmpty()) { // kept clear of the legend or colour bar at the right
        painter.setPen(QColor(40, 40, 40));
        const QString shown = painter.fontMetrics().elidedText(title, Qt::ElideRight, std::max(40, size.width() - 190));
        painter.drawText(QPointF(10, 18), shown);
    }
}

} // namespace

void writeMapImage(const MapView &view, const QString &path, const ImageOptions &options, const QString &title)
{
    const QSize viewSize = view.viewport()->size();
    const QSize size = options.size.isEmpty() ? viewSize : options.size;
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(options.transparent ? Qt::transparent : Qt::white);
    const double dotsPerMetre = options.dpi / 0.0254;
    image.setDotsPerMeterX(int(dotsPerMetre + 0.5));
    image.setDotsPerMeterY(int(dotsPerMetre + 0.5));
    {
        // The view's drawing scaled to fit, centred; the legend stays at the right edge.
        const double scale = std::min(double(size.width()) / viewSize.width(), double(size.height()) / viewSize.height());
        QPainter painter(&image);
        painter.translate((size.width() - viewSize.width() * scale) / 2, (size.height() - viewSize.height() * scale) / 2);
        painter.scale(scale, scale);
        drawMap(painter, view, viewSize, title, false);
    }
    const QString temporary = path + ".part.png";
    if (!image.save(temporary, "PNG") || (QFile::exists(path) && !QFile::remove(path)) || !QFile::rename(temporary, path)) {
        QFile::remove(temporary);
        throw IoError(path.toStdString(), "cannot write the image");
    }
}

void writeVectorFigure(const MapView &view, const QString &path, const QString &title)
{
    const QSize size = view.viewport()->size();
    const bool pdf = path.endsWith(".pdf", Qt::CaseInsensitive);
    if (!pdf && !path.endsWith(".svg", Qt::CaseInsensitive))
        throw UsageError(path.toStdString() + ": vector figures are .svg or .pdf");
    const QString temporary = path + ".part"; // renamed into place when complete
    {
        QPainter painter;
        QSvgGenerator svg;
        std::unique_ptr<QPdfWriter> writer;
        if (pdf) {
            writer = std::make_unique<QPdfWriter>(temporary);
            writer->setResolution(72); // one unit = one point = one widget pixel
            writer->setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
            writer->setPageMargins(QMarginsF(0, 0, 0, 0));
            if (!painter.begin(writer.get()))
                throw IoError(path.toStdString(), "cannot write the PDF");
        } else {
            svg.setFileName(temporary);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(title.isEmpty() ? QStringLiteral("Weight Space Explorer map") : title);
            if (!painter.begin(&svg))
                throw IoError(path.toStdString(), "cannot write the SVG");
        }
        drawMap(painter, view, size, title);
        painter.end();
    }
    QFile::remove(path);
    if (!QFileInfo::exists(temporary) || !QFile::rename(temporary, path))
        throw IoError(path.toStdString(), "cannot write the figure");
}

} // namespace wse
