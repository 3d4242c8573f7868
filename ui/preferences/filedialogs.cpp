#include "preferences/filedialogs.h"

#include "preferences/setting.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace wse {

namespace {

Setting<QString> folderSetting(const QString &kind)
{
    return Setting<QString>(QStringLiteral("folders/") + kind, QDir::homePath());
}

QString startingPoint(const QString &kind, const QString &current)
{
    if (!current.isEmpty() && QFileInfo(current).absoluteDir().exists())
        return current;
    return lastFolder(kind);
}

QString inRememberedFolder(const QString &kind, const QString &suggested)
{
    if (suggested.isEmpty() || QFileInfo(suggested).isAbsolute())
        return startingPoint(kind, suggested);
    return QDir(lastFolder(kind)).filePath(suggested);
}

QString remembered(const QString &kind, const QString &chosen)
{
    if (!chosen.isEmpty())
        rememberFolder(kind, chosen);
    return chosen;
}

QString idOf(FileKind kind)
{
    return QString::fromStdString(fileFormat(kind).id);
}

} // namespace

QString lastFolder(const QString &kind)
{
    const QString folder = folderSetting(kind).get();
    return QDir(folder).exists() ? folder : QDir::homePath();
}

void rememberFolder(const QString &kind, const QString &fileOrFolder)
{
    const QFileInfo info(fileOrFolder);
    folderSetting(kind).set(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

QString chooseFileToOpen(QWidget *parent, const QString &title, const std::vector<FileKind> &kinds, const QString &current)
{
    const QString kind = kinds.empty() ? QStringLiteral("any") : idOf(kinds.front());
    return remembered(kind, QFileDialog::getOpenFileName(parent, title, startingPoint(kind, current),
                                                         QString::fromStdString(dialogFilter(kinds))));
}

QString chooseFileToSave(QWidget *parent, const QString &title, FileKind kind, const QString &suggested)
{
    return chooseFileToSave(parent, title, idOf(kind), suggested, QString::fromStdString(dialogFilter({kind})));
}

QString chooseFileToSave(QWidget *parent, const QString &title, const QString &kind, const QString &suggested,
                         const QString &filter)
{
    return remembered(kind, QFileDialog::getSaveFileName(parent, title, inRememberedFolder(kind, suggested), filter));
}

QString chooseFolder(QWidget *parent, const QString &title, const QString &kind, const QString &current)
{
    return remembered(kind, QFileDialog::getExistingDirectory(parent, title, startingPoint(kind, current)));
}

} // namespace wse
