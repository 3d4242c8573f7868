#include "wizards/pageerror.h"

#include <QApplication>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QLabel>
#include <QWizard>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace wse {

QLabel *pageErrorLabel()
{
    auto *label = new QLabel;
    label->setObjectName("pageError");
    label->setStyleSheet("color: #b00020");
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // Room for a three-line message: a word-wrapped label in a form gets one line otherwise.
    label->setMinimumHeight(label->fontMetrics().lineSpacing() * 3 + 4);
    return label;
}

bool pageCheckPasses(QLabel *error, const std::function<void()> &check)
{
    try {
        check();
    } catch (const std::exception &failure) {
        error->setText(QString::fromStdString(failure.what()));
        return false;
    }
    error->clear();
    return true;
}

void runOffGuiThread(QWidget *busy, const std::function<void()> &work)
{
    std::exception_ptr failure;
    QFutureWatcher<void> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
    busy->setEnabled(false);
    QApplication::setOverrideCursor(Qt::WaitCursor);
    watcher.setFuture(QtConcurrent::run([&work, &failure] {
        try {
            work();
        } catch (...) {
            failure = std::current_exception();
        }
    }));
    if (!watcher.isFinished())
        loop.exec();
    QApplication::restoreOverrideCursor();
    busy->setEnabled(true);
    if (failure)
        std::rethrow_exception(failure);
}

QString currentPageError(const QWizard &wizard)
{
    const auto *label = wizard.currentPage() ? wizard.currentPage()->findChild<QLabel *>("pageError") : nullptr;
    return label ? label->text() : QString();
}

} // namespace wse
