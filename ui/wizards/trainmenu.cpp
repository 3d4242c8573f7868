#include "wizards/trainmenu.h"

#include "jobs/jobcentre.h"
#include "mainwindow.h"
#include "wizards/newzoowizard.h"

#include <QMenuBar>

namespace wse {

JobCentre *jobCentre(MainWindow &window) { return window.findChild<JobCentre *>("jobCentre"); }

NewZooWizard *openNewZooWizard(MainWindow &window)
{
    auto *wizard = new NewZooWizard(&window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(wizard, &QWizard::accepted, &window, [&window, wizard] {
        jobCentre(window)->startZooTraining(wizard->options(), wizard->outputPath());
    });
    wizard->open();
    return wizard;
}

void addTrainMenu(MainWindow &window)
{
    auto *jobs = new JobCentre(&window);
    window.addDockWidget(Qt::BottomDockWidgetArea, jobs);
    if (jobs->jobs().empty())
        jobs->hide();
    QObject::connect(jobs, &JobCentre::zooReady, &window, [&window](const QString &path) { window.openZoo(path); });

    QMenu *menu = window.menuBar()->addMenu(QObject::tr("&Train"));
    QAction *newZoo = menu->addAction(QObject::tr("&New Zoo..."), &window, [&window] { openNewZooWizard(window); });
    newZoo->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+N")));
    newZoo->setStatusTip(QObject::tr("Train a population of networks over variation axes (a new model zoo)"));
    menu->addSeparator();
    QAction *showJobs = jobs->toggleViewAction();
    showJobs->setText(QObject::tr("&Jobs"));
    menu->addAction(showJobs);
}

} // namespace wse
