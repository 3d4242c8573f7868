#include "help/userguide.h"


#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextBrowser>
#include <QToolBar>
#include <QUrl>

#include <algorithm>

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

// Screenshots are wider than the guide's window: each is shown at most as wide as the text.
void fitImagesToWidth(QTextBrowser &browser)
{
    const double widest = browser.viewport()->width() - 2 * browser.document()->documentMargin() - 4;
    QTextCursor cursor(browser.document());
    for (QTextBlock block = browser.document()->begin(); block.isValid(); block = block.next())
        for (auto fragment = block.begin(); !fragment.atEnd(); ++fragment) {
            const QTextFragment piece = fragment.fragment();
            if (!piece.charFormat().isImageFormat())
                continue;
            QTextImageFormat image = piece.charFormat().toImageFormat();
            const QUrl url = browser.source().resolved(QUrl(image.name()));
            const QSize natural = QImageReader(url.toLocalFile()).size();
            if (!natural.isValid() || widest <= 0)
                continue;
            const double width = std::min<double>(natural.width(), widest);
            image.setWidth(width);
            image.setHeight(width * natural.height() / natural.width());
            cursor.setPosition(piece.position());
            cursor.setPosition(piece.position() + piece.length(), QTextCursor::KeepAnchor);
            cursor.setCharFormat(image);
        }
}

// Refits the screenshots when the guide's window is resized.
class ResizeWatcher : public QObject
{
public:
    explicit ResizeWatcher(QTextBrowser *browser) : QObject(browser), mBrowser(browser) {}
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Resize)
            fitImagesToWidth(*mBrowser);
        return QObject::eventFilter(watched, event);
    }

private:
    QTextBrowser *mBrowser;
};

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
    // Pages open in the guide; anything that is not Markdown (a PNG, a script) goes to the desktop.
    QObject::connect(browser, &QTextBrowser::sourceChanged, browser, [browser](const QUrl &url) {
        if (url.isLocalFile() && !url.path().endsWith(QStringLiteral(".md"))) {
            QDesktopServices::openUrl(url);
            browser->backward();
            return;
        }
        fitImagesToWidth(*browser);
    });
    browser->viewport()->installEventFilter(new ResizeWatcher(browser));
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
    // After the connections: the first page's screenshots are fitted too.
    browser->setSource(QUrl::fromLocalFile(QDir(folder).filePath("README.md")), QTextDocument::MarkdownResource);
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
