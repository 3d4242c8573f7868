#pragma once
// The user's settings through typed keys, each declared next to the code that uses it (as Tiled's
// Preference<T>):   const Setting<QStringList> recentFiles{"files/recent"};
// User settings (theme, recent files, last folder per file kind, window layout) live where QSettings
// keeps them; session state (jobs to resume at the next start) lives apart, in session.ini in the
// data folder, so that resetting one leaves the other.
#include <QSettings>
#include <QString>
#include <QVariant>

#include <memory>

namespace wse {

enum class SettingScope { User, Session };

std::unique_ptr<QSettings> openSettings(SettingScope scope);

template <typename T> class Setting
{
public:
    explicit Setting(QString key, T fallback = T(), SettingScope scope = SettingScope::User)
        : mKey(std::move(key)), mFallback(std::move(fallback)), mScope(scope)
    {}

    T get() const
    {
        const QVariant value = openSettings(mScope)->value(mKey);
        return value.isValid() && value.canConvert<T>() ? value.value<T>() : mFallback;
    }
    void set(const T &value) const { openSettings(mScope)->setValue(mKey, QVariant::fromValue(value)); }
    void clear() const { openSettings(mScope)->remove(mKey); }
    const QString &key() const { return mKey; }

private:
    QString mKey;
    T mFallback;
    SettingScope mScope;
};

} // namespace wse
