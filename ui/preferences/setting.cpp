#include "preferences/setting.h"

#include <QDir>
#include <QStandardPaths>

namespace wse {

std::unique_ptr<QSettings> openSettings(SettingScope scope)
{
    if (scope == SettingScope::User)
        return std::make_unique<QSettings>();
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return std::make_unique<QSettings>(QDir(folder).filePath(QStringLiteral("session.ini")), QSettings::IniFormat);
}

} // namespace wse
