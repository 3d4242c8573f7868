#include "errordialog.h"

#include "common/log.h"

#include <QMessageBox>

namespace wse {

void showError(QWidget *parent, const QString &doingWhat, const QString &message)
{
    logError((doingWhat + QStringLiteral(": ") + message).toStdString());
    QMessageBox::critical(parent, QObject::tr("Error %1").arg(doingWhat), message);
}

} // namespace wse
