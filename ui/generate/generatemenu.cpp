#include "generate/generatemenu.h"

#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "mainwindow.h"
#include "wizards/trainmenu.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace wse {

namespace {

void exportNetwork(MainWindow &window)
{
    const QStringList labels = window.generation()->networkLabels();
    if (labels.isEmpty()) {
        QMessageBox::information(&window, QObject::tr("Export Network"),
                                 QObject::tr("Sample or decode networks first (Generate menu)."));
        return;
    }
    bool ok = false;
    const QString label =
        QInputDialog::getItem(&window, QObject::tr("Export Network"), QObject::tr("Network:"), labels, 0, false, &ok);
    if (!ok)
        return;
    const QString id = label.section(QStringLiteral(" · "), 0, 0);
    const QString path = QFileDialog::getSaveFileName(&window, QObject::tr("Export Network"), id + ".pt",
                                                      QObject::tr("PyTorch checkpoints (*.pt)"));
    if (path.isEmpty())
        return;
    try {
        window.generation()->exportNetwork(id, path);
        window.statusBar()->showMessage(QObject::tr("Wrote %1 and %1.json").arg(path), 8000);
    } catch (const std::exception &error) {
        QMessageBox::critical(&window, QObject::tr("Export Network"), QString::fromStdString(error.what()));
    }
}

} // namespace

void addGenerateMenu(MainWindow &window)
{
    QMenu *menu = window.menuBar()->addMenu(QObject::tr("&Generate"));
    QAction *sampleAction = menu->addAction(QObject::tr("&Sample Networks..."), &window, [&window] {
        if (window.document())
            openSampleWizard(window);
    });
    sampleAction->setStatusTip(QObject::tr("Sample new networks around the selected or matching checkpoints (SANE)"));
    sampleAction->setShortcut(QKeySequence(QObject::tr("Ctrl+G")));
    QAction *decode = menu->addAction(QObject::tr("&Decode Selected Checkpoint"), &window, [&window] {
        QString error;
        if (!window.decodeSelected(&error))
            QMessageBox::warning(&window, QObject::tr("Decode"), error);
    });
    decode->setShortcut(QKeySequence(QObject::tr("Ctrl+D")));
    QAction *exportAction = menu->addAction(QObject::tr("E&xport Generated Network..."), &window,
                                            [&window] { exportNetwork(window); });
    exportAction->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+E")));
}

} // namespace wse
