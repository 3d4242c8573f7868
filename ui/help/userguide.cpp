#include "help/userguide.h"


#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QTextBrowser>
#include <QToolBar>
#include <QUrl>

namespace wse {

namespace {

QStringList candidateFolders()
{
    QStringList folders;
    const QString chosen = qEnvironmentVariable("WSE_GUIDE_DIR");
    if (!chosen.isEmpty())
        folders << chosen;
    folders << QDir(QCoreApplication::applicationDirPath()).filePath("../share/weight-space-explorer/guide");
#ifdef WSE_SOURCE_DIR
    folders << QStringLiteral(WSE_SOURCE_DIR); // a build from source, run where it was built
#endif
    return folders;
}

QMainWindow *makeGuideWindow(QWidget *parent, const QString &folder)
{
    auto *window = new QMainWindow(parent, Qt::Window);
    window->setObjectName("userGuide");
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setWindowTitle(QObject::tr("Weight Space Explorer — User Guide"));
    auto *browser = new QTextBrowser;
    browser->setObjectName("userGuideBrowser");
    browser->setOpenLinks(true);
    browser->setOpenExternalLinks(true); // web links go to the desktop's browser
    browser->setSource(QUrl::fromLocalFile(QDir(folder).filePath("README.md")), QTextDocument::MarkdownResource);
    // Pages open in the guide; anything that is not Markdown (a PNG, a script) goes to the desktop.
    QObject::connect(browser, &QTextBrowser::sourceChanged, browser, [browser](const QUrl &url) {
        if (url.isLocalFile() && !url.path().endsWith(QStringLiteral(".md"))) {
            QDesktopServices::openUrl(url);
            browser->backward();
        }
    });
    QToolBar *navigation = window->addToolBar(QObject::tr("Navigation"));
    navigation->setMovable(false);
    QAction *back = navigation->addAction(QObject::tr("Back"), browser, &QTextBrowser::backward);
    QAction *forward = navigation->addAction(QObject::tr("Forward"), browser, &QTextBrowser::forward);
    navigation->addAction(QObject::tr("Contents"), browser, &QTextBrowser::home);
    back->setShortcut(QKeySequence::Back);
    forward->setShortcut(QKeySequence::Forward);
    back->setEnabled(false);
    forward->setEnabled(false);
    QObject::connect(browser, &QTextBrowser::backwardAvailable, back, &QAction::setEnabled);
    QObject::connect(browser, &QTextBrowser::forwardAvailable, forward, &QAction::setEnabled);
    window->setCentralWidget(browser);
    window->resize(900, 760);
    return window;
}

} // namespace

QString userGuideFolder()
{
    for (const QString &folder : candidateFolders())
        if (QFileInfo::exists(QDir(folder).filePath("README.md")))
            return QDir(folder).absolutePath();
    return {};
}

void showUserGuide(QWidget *parent)
{
    static QPointer<QMainWindow> open;
    if (!open) {
        const QString folder = userGuideFolder();
        if (folder.isEmpty()) {
            QMessageBox::warning(parent, QObject::tr("User Guide"),
                                 QObject::tr("The user guide is not installed. Looked for README.md in:\n%1")
                                     .arg(candidateFolders().join('\n')));
            return;
        }
        open = makeGuideWindow(parent, folder);
    }
    open->show();
    open->raise();
    open->activateWindow();
}

} // namespace wse
