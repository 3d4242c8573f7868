#include "document/filedrop.h"

#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "mainwindow.h"
#include "map/mapmenu.h"

#include "formats/fileformat.h"
#include "sane/encoderfile.h"
#include "sane/saneimport.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>

namespace wse {

namespace {

QStringList localFiles(const QMimeData *data)
{
    QStringList files;
    if (data)
        for (const QUrl &url : data->urls())
            if (url.isLocalFile())
                files << url.toLocalFile();
    return files;
}

// Ours, or an official SANE checkpoint with its run's params.json nearby (imported when embedding).
bool isEncoder(const QString &file)
{
    try {
        SaneEncoder::read(file.toStdString());
        return true;
    } catch (const std::exception &) {
        return locateOfficialSane(file.toStdString()).has_value();
    }
}

class DropFilter : public QObject
{
public:
    explicit DropFilter(MainWindow &window) : QObject(&window), mWindow(window) {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::DragEnter) {
            auto *drag = static_cast<QDragEnterEvent *>(event);
            if (!localFiles(drag->mimeData()).isEmpty())
                drag->acceptProposedAction();
            return true;
        }
        if (event->type() == QEvent::Drop) {
            auto *drop = static_cast<QDropEvent *>(event);
            QString error;
            if (!openDroppedFiles(mWindow, localFiles(drop->mimeData()), &error))
                QMessageBox::warning(&mWindow, tr("Dropped Files"), error);
            drop->acceptProposedAction();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    MainWindow &mWindow;
};

} // namespace

void acceptFileDrops(MainWindow &window)
{
    window.setAcceptDrops(true);
    window.installEventFilter(new DropFilter(window));
}

bool openDroppedFiles(MainWindow &window, const QStringList &files, QString *error)
{
    QStringList zoos, checkpoints;
    for (const QString &file : files) {
        switch (detectFileKind(file.toStdString())) {
        case FileKind::Zoo:
        case FileKind::Workspace: zoos << file; break;
        case FileKind::Encoder:
        case FileKind::Checkpoint: checkpoints << file; break;
        case FileKind::OfficialZoo:
            *error = QObject::tr("%1 is an official Model Zoos folder: import it first (File ▸ Import Official Zoo Folder).").arg(file);
            return false;
        default:
            *error = QObject::tr("%1 is not a zoo, a workspace, a SANE encoder or a network checkpoint.").arg(file);
            return false;
        }
    }
    if (!zoos.isEmpty()) {
        window.openZoo(zoos.front());
        return true;
    }
    if (checkpoints.isEmpty()) {
        *error = QObject::tr("Drop a zoo or workspace, a SANE encoder or network checkpoints (.pt).");
        return false;
    }
    if (!window.document()) {
        *error = QObject::tr("Open a zoo first: dropped checkpoints are placed on its SANE map.");
        return false;
    }
    if (checkpoints.size() == 1 && isEncoder(checkpoints.front()))
        return window.mapActions()->embedOpenZoo(checkpoints.front(), "auto", "fp32", error);
    if (!window.generation()->placeCheckpointFiles(checkpoints, error))
        return false;
    if (window.mapSource() != MapSource::SaneEmbeddings && window.document()->hasMap(MapSource::SaneEmbeddings))
        window.setMapSource(MapSource::SaneEmbeddings);
    return true;
}

} // namespace wse
