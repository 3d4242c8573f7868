// The explorer as a desktop application: the main toolbar holds the menus' own actions with icons
// that follow the theme, the Help menu opens the user guide (following its links), lists every
// shortcut from the menus themselves (none bound twice) and says in About which build this is and
// what it runs with.
#include "scriptedwindow.h"

#include "common/buildinfo.h"
#include "help/aboutdialog.h"
#include "help/shortcutsdialog.h"
#include "help/userguide.h"
#include "mainwindow.h"
#include "torchutil/devices.h"

#include <QMainWindow>
#include <QMenuBar>
#include <QProcess>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolBar>
#include <QtTest>

#include <memory>

using namespace wse;

namespace {

// Mean lightness (0..255) of an icon's drawn pixels: dark lines on a light theme, light on a dark one.
double inkLightness(const QIcon &icon)
{
    const QImage image = icon.pixmap(24, 24).toImage().convertToFormat(QImage::Format_ARGB32);
    double sum = 0;
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor colour = image.pixelColor(x, y);
            if (colour.alpha() > 200 && colour.saturation() < 40) { // the lines, not the blue accent
                sum += colour.lightness();
                ++count;
            }
        }
    return count ? sum / count : -1;
}

} // namespace

class TestDesktop : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> mWindow;
    QTemporaryDir mDir;

private Q_SLOTS:
    void initTestCase()
    {
        WSE_REQUIRE_OPENGL();
        QStandardPaths::setTestModeEnabled(true); // the theme choice stays out of the user's settings
        mWindow = std::make_unique<MainWindow>();
        QVERIFY(test::showScripted(*mWindow));
    }

    void theToolbarHoldsTheMenusActionsWithIcons()
    {
        auto *bar = mWindow->findChild<QToolBar *>("mainToolBar");
        QVERIFY(bar);
        QStringList names;
        for (QAction *action : bar->actions())
            if (!action->isSeparator()) {
                names << action->objectName();
                QVERIFY2(!action->icon().isNull(), qPrintable(action->objectName()));
                QVERIFY2(!action->toolTip().isEmpty(), qPrintable(action->objectName()));
            }
        QCOMPARE(names, QStringList({"openAction", "saveWorkspaceAction", "exportFigureAction", "embedAction", "sampleAction",
                                     "decodeAction", "newZooAction", "trainSaneAction", "jobsAction"}));
        // The same action as the menu's: one shortcut, one enabled state.
        bool inFileMenu = false;
        for (QAction *top : mWindow->menuBar()->actions())
            if (top->menu() && top->menu()->actions().contains(bar->actions().first()))
                inFileMenu = top->text().remove('&') == "File";
        QVERIFY(inFileMenu);
        QVERIFY(bar->actions().first()->toolTip().contains(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText)));
        QVERIFY(!mWindow->windowIcon().isNull());
    }

    void iconsFollowTheTheme()
    {
        auto *open = mWindow->findChild<QAction *>("openAction");
        auto *dark = mWindow->findChild<QAction *>("theme-dark");
        auto *light = mWindow->findChild<QAction *>("theme-light");
        QVERIFY(open && dark && light);
        light->trigger();
        const double onLight = inkLightness(open->icon());
        dark->trigger();
        const double onDark = inkLightness(open->icon());
        light->trigger();
        QVERIFY2(onLight >= 0 && onLight < 100, qPrintable(QString::number(onLight)));
        QVERIFY2(onDark > 150, qPrintable(QString::number(onDark)));
    }

    void shortcutsAreReadFromTheMenusAndBoundOnce()
    {
        const QList<ShortcutEntry> entries = menuShortcuts(*mWindow->menuBar());
        const auto has = [&entries](const QString &menu, const QString &action, const QKeySequence &key) {
            for (const ShortcutEntry &entry : entries)
                if (entry.menu == menu && entry.action == action && entry.shortcut == key.toString(QKeySequence::NativeText))
                    return true;
            return false;
        };
        QVERIFY(has("File", "Open Zoo or Workspace...", QKeySequence::Open));
        QVERIFY(has("Generate", "Sample Networks...", QKeySequence(tr("Ctrl+G"))));
        QVERIFY(has("Help", "Keyboard Shortcuts", QKeySequence(tr("Ctrl+/"))));
        QVERIFY(entries.size() > 25);
        // Qt triggers neither of two actions bound to the same keys: each key once.
        QHash<QString, QString> owner;
        for (const ShortcutEntry &entry : entries) {
            const QString where = entry.menu + " > " + entry.action;
            QVERIFY2(!owner.contains(entry.shortcut),
                     qPrintable(entry.shortcut + " is bound twice: " + owner.value(entry.shortcut) + " and " + where));
            owner.insert(entry.shortcut, where);
        }
    }

    void aboutNamesTheBuildAndWhatItRunsWith()
    {
        const QString text = aboutText();
        const DeviceInventory inventory = listDevices();
        for (const std::string &fact : {buildVersion(), buildCommit(), inventory.libtorchVersion, hdf5Version()})
            QVERIFY2(text.contains(QString::fromStdString(fact)), fact.c_str());
        QVERIFY(text.contains(QString::fromLatin1(qVersion())));
        QVERIFY(text.contains("GPL-3.0-or-later"));
        QVERIFY(text.contains("CPU ("));
        QVERIFY(aboutPlainText().startsWith(QString::fromStdString("Weight Space Explorer " + buildDescription())));
        QVERIFY(buildCommit() != "unknown"); // built from a git checkout here
    }

    // wse-explorer --demo opens the demo zoo where the start page keeps it ($WSE_DEMO_ZOO here).
    void theDemoOpensFromTheCommandLine()
    {
        const QString demo = mDir.filePath("demo/demo-zoo.h5");
        QVERIFY(QDir().mkpath(mDir.filePath("demo")));
        ZooStore::write(test::makeSyntheticZoo(2, 3, 2), demo.toStdString());
        const QString png = mDir.filePath("demo.png");
        QProcess explorer;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("WSE_DEMO_ZOO", demo);
        explorer.setProcessEnvironment(environment);
        explorer.start(WSE_EXPLORER_PATH, {"--demo", "--size", "800x600", "--screenshot", png});
        QVERIFY(explorer.waitForFinished(60000));
        QVERIFY2(explorer.exitCode() == 0, explorer.readAllStandardError().constData());
        QCOMPARE(QImage(png).size(), QSize(800, 600));

        QProcess both;
        both.start(WSE_EXPLORER_PATH, {"--demo", demo});
        QVERIFY(both.waitForFinished(60000));
        QCOMPARE(both.exitCode(), 1);
        QVERIFY(both.readAllStandardError().contains("--demo opens the demo zoo: give no file with it"));
    }

    void theUserGuideOpensTheReadmeAndFollowsItsLinks()
    {
        // A build from source finds its checkout's guide.
        QVERIFY(QFileInfo::exists(userGuideFolder() + "/docs/cli.md"));

        QDir guide(mDir.path());
        QVERIFY(guide.mkpath("docs"));
        const auto write = [&guide](const QString &name, const QByteArray &text) {
            QFile file(guide.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text);
        };
        write("README.md", "# Front page\n\nSee the [limits](docs/limits.md).\n\n![a wide screenshot](wide.png)\n");
        QImage wide(3000, 300, QImage::Format_RGB32);
        wide.fill(Qt::darkCyan);
        QVERIFY(wide.save(guide.filePath("wide.png")));
        write("docs/limits.md", "# Limits page\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        qputenv("WSE_GUIDE_DIR", guide.path().toUtf8());
        QCOMPARE(userGuideFolder(), guide.absolutePath());
        showUserGuide(mWindow.get());
        auto *browser = mWindow->findChild<QTextBrowser *>("userGuideBrowser");
        QVERIFY(browser);
        QVERIFY(browser->toPlainText().contains("Front page"));
        QVERIFY(!browser->toPlainText().contains("docs/limits.md")); // rendered, not shown as source
        // Screenshots wider than the window are shown as wide as the text, in proportion.
        QTextImageFormat image;
        for (QTextBlock block = browser->document()->begin(); block.isValid(); block = block.next())
            for (auto piece = block.begin(); !piece.atEnd(); ++piece)
                if (piece.fragment().charFormat().isImageFormat())
                    image = piece.fragment().charFormat().toImageFormat();
        QCOMPARE(image.name(), QString("wide.png"));
        QVERIFY2(image.width() > 100 && image.width() <= browser->viewport()->width(), qPrintable(QString::number(image.width())));
        QCOMPARE(qRound(image.height() * 10), qRound(image.width()));
        browser->setSource(browser->source().resolved(QUrl("docs/limits.md")));
        QVERIFY(browser->toPlainText().contains("Limits page"));
        browser->backward();
        QVERIFY(browser->toPlainText().contains("Front page"));
        browser->window()->close();
        qunsetenv("WSE_GUIDE_DIR");
    }
};

QTEST_MAIN(TestDesktop)
#include "test_desktop.moc"
