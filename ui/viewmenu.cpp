#include "viewmenu.h"

#include "document/explorerdocument.h"
#include "icons.h"
#include "mainwindow.h"
#include "map/mapview.h"
#include "preferences/setting.h"

#include <QActionGroup>
#include <QSignalBlocker>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace wse {

namespace {

const Setting<QString> themeSetting{QStringLiteral("view/theme"), QStringLiteral("light")};
const Setting<QString> nonLinearTrajectories{QStringLiteral("view/nonLinearTrajectories"), QStringLiteral("faint")};

// View ▸ Trajectories in t-SNE and UMAP: faint, the selected models' only, or in full (remembered).
void addTrajectoryChoice(QMenu *view, MapView *map)
{
    using Emphasis = MapView::TrajectoryEmphasis;
    QMenu *menu = view->addMenu(QObject::tr("Trajectories in t-SNE and &UMAP"));
    menu->setToolTip(QObject::tr("There a model's checkpoints can lie far apart: straight lines between them cross the map"));
    auto *group = new QActionGroup(menu);
    const std::pair<const char *, QString> choices[] = {{"faint", QObject::tr("&Faint")},
                                                        {"selected", QObject::tr("&Selected Models Only")},
                                                        {"full", QObject::tr("In F&ull, as in PCA")}};
    const QString saved = nonLinearTrajectories.get();
    for (const auto &[key, label] : choices) {
        QAction *choice = menu->addAction(label);
        choice->setObjectName(QStringLiteral("trajectories-%1").arg(key));
        choice->setCheckable(true);
        group->addAction(choice);
        const Emphasis emphasis = QString(key) == "full"       ? Emphasis::Full
                                  : QString(key) == "selected" ? Emphasis::SelectedOnly
                                                               : Emphasis::Faint;
        QObject::connect(choice, &QAction::triggered, map, [map, emphasis, name = QString(key)] {
            nonLinearTrajectories.set(name);
            map->setNonLinearTrajectories(emphasis);
        });
        if (saved == key) {
            choice->setChecked(true);
            map->setNonLinearTrajectories(emphasis);
        }
    }
}

void applyTheme(MainWindow &window, bool dark)
{
    static const QPalette light = QApplication::palette(); // the platform's, before any change
    if (dark) {
        QApplication::setStyle(QStyleFactory::create("Fusion"));
        QPalette palette;
        const QColor panel(45, 45, 48), base(30, 30, 32), text(225, 225, 225), highlight(64, 128, 210);
        palette.setColor(QPalette::Window, panel);
        palette.setColor(QPalette::WindowText, text);
        palette.setColor(QPalette::Base, base);
        palette.setColor(QPalette::AlternateBase, panel);
        palette.setColor(QPalette::ToolTipBase, panel);
        palette.setColor(QPalette::ToolTipText, text);
        palette.setColor(QPalette::Text, text);
        palette.setColor(QPalette::Button, panel);
        palette.setColor(QPalette::ButtonText, text);
        palette.setColor(QPalette::Highlight, highlight);
        palette.setColor(QPalette::HighlightedText, Qt::white);
        palette.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
        palette.setColor(QPalette::Disabled, QPalette::Text, QColor(130, 130, 130));
        palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(130, 130, 130));
        palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(130, 130, 130));
        QApplication::setPalette(palette);
    } else {
        QApplication::setPalette(light);
    }
    window.mapView()->setDarkBackground(dark);
    refreshActionIcons(window); // their lines take the new palette's text colour
}

} // namespace

void applySavedTheme(MainWindow &window)
{
    applyTheme(window, themeSetting.get() == "dark");
}

QMenu *addViewMenu(MainWindow &window)
{
    MapView *map = window.mapView();
    QMenu *view = window.menuBar()->addMenu(QObject::tr("&View"));
    QAction *reset = view->addAction(QObject::tr("&Reset View"), map, &MapView::resetCamera);
    reset->setShortcut(QKeySequence(QObject::tr("Ctrl+R")));
    QAction *trajectories = view->addAction(QObject::tr("Show &Trajectories"));
    trajectories->setCheckable(true);
    trajectories->setChecked(true);
    trajectories->setShortcut(QKeySequence(QObject::tr("Ctrl+T")));
    QObject::connect(trajectories, &QAction::toggled, map, &MapView::setTrajectoriesVisible);
    addTrajectoryChoice(view, map);
    QAction *flat = view->addAction(QObject::tr("&2D Map (Layout Axes 1 and 2, Pan with the Left Button)"));
    flat->setObjectName("flatMap");
    flat->setCheckable(true);
    flat->setShortcut(QKeySequence(QObject::tr("Ctrl+2")));
    ExplorerDocument *document = window.explorer();
    QObject::connect(flat, &QAction::toggled, document, &ExplorerDocument::setFlat);
    QObject::connect(document, &ExplorerDocument::changed, flat, [document, flat](const ChangeEvent &event) {
        if (event.type == ChangeEvent::Type::Flat) {
            const QSignalBlocker blocker(flat);
            flat->setChecked(document->view().flat);
        }
    });

    QMenu *theme = view->addMenu(QObject::tr("T&heme"));
    auto *themes = new QActionGroup(theme);
    const bool dark = themeSetting.get() == "dark";
    for (const auto &[name, label] : {std::pair{"light", QObject::tr("&Light")}, {"dark", QObject::tr("&Dark")}}) {
        QAction *choice = theme->addAction(label);
        choice->setObjectName(QStringLiteral("theme-%1").arg(name));
        choice->setCheckable(true);
        choice->setChecked((QString(name) == "dark") == dark);
        themes->addAction(choice);
        QObject::connect(choice, &QAction::triggered, &window, [&window, key = QString(name)] {
            themeSetting.set(key);
            applyTheme(window, key == "dark");
        });
    }
    view->addSeparator();
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    return view;
}

} // namespace wse
