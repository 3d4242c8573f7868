#include "wizards/pageerror.h"

#include <QLabel>
#include <QWizard>

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

QString currentPageError(const QWizard &wizard)
{
    const auto *label = wizard.currentPage() ? wizard.currentPage()->findChild<QLabel *>("pageError") : nullptr;
    return label ? label->text() : QString();
}

} // namespace wse
