#include "panels/messagesdock.h"

#include <QDateTime>
#include <QHeaderView>
#include <QMetaObject>
#include <QPointer>
#include <QTableWidget>

namespace wse {

namespace {

QString levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Info: return QObject::tr("Info");
    case LogLevel::Warning: return QObject::tr("Warning");
    case LogLevel::Error: return QObject::tr("Error");
    }
    return {};
}

} // namespace

MessagesDock::MessagesDock(QWidget *parent) : QDockWidget(tr("Messages"), parent), mTable(new QTableWidget(0, 3))
{
    setObjectName("messagesDock");
    mTable->setHorizontalHeaderLabels({tr("Time"), tr("Level"), tr("Message")});
    mTable->horizontalHeader()->setStretchLastSection(true);
    mTable->verticalHeader()->hide();
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->setWordWrap(true);
    setWidget(mTable);
    QPointer<MessagesDock> self(this);
    mPrevious = setLogSink([self](LogLevel level, const std::string &message) {
        if (!self)
            return;
        const QString text = QString::fromStdString(message);
        // Jobs log from worker threads: the row is added on the GUI thread.
        QMetaObject::invokeMethod(
            self.data(), [self, level, text] {
                if (self)
                    self->add(level, text);
            },
            Qt::QueuedConnection);
    });
}

MessagesDock::~MessagesDock() { setLogSink(std::move(mPrevious)); }

int MessagesDock::count() const { return mTable->rowCount(); }

QString MessagesDock::message(int row) const { return mTable->item(row, 2)->text(); }

void MessagesDock::add(LogLevel level, const QString &text)
{
    const int row = mTable->rowCount();
    mTable->insertRow(row);
    mTable->setItem(row, 0, new QTableWidgetItem(QDateTime::currentDateTime().toString("HH:mm:ss")));
    mTable->setItem(row, 1, new QTableWidgetItem(levelName(level)));
    mTable->setItem(row, 2, new QTableWidgetItem(text));
    mTable->scrollToBottom();
    if (level != LogLevel::Info) {
        show();
        raise();
    }
}

} // namespace wse
