#pragma once
// The Messages dock: what core and the explorer log (warnings such as a failed autosave, notes of
// jobs), with the time and level, newest last. It installs itself as core's log sink for as long as
// it exists, and comes forward when a warning or error arrives (as ParaView's output window does)
// instead of stacking dialogs.
#include "common/log.h"

#include <QDockWidget>

class QTableWidget;

namespace wse {

class MessagesDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit MessagesDock(QWidget *parent = nullptr);
    ~MessagesDock() override; // gives core its previous sink back

    int count() const;
    QString message(int row) const;

    // Adds a message (on the GUI thread; the sink posts messages of other threads here).
    void add(LogLevel level, const QString &text);

private:
    QTableWidget *mTable;
    LogSink mPrevious;
};

} // namespace wse
