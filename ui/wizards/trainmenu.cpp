#include "wizards/trainmenu.h"

#include "document/zoodocument.h"
#include "generate/generationcontroller.h"
#include "icons.h"
#include "jobs/jobcentre.h"
#include "mainwindow.h"
#include "wizards/newzoowizard.h"
#include "wizards/samplewizard.h"
#include "wizards/trainsanewizard.h"

#include <QDockWidget>
#include <QMenuBar>

#include <memory>

namespace wse {

JobCentre *jobCentre(MainWindow &window) { return window.findChild<JobCentre *>("jobCentre"); }

NewZooWizard *openNewZooWizard(MainWindow &window)
{
    auto *wizard = new NewZooWizard(&window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(wizard, &QWizard::accepted, &window, [&window, wizard] {
        jobCentre(window)->startZooTraining(wizard->options(), wizard->outputPath(), wizard->runner());
    });
    wizard->open();
    return wizard;
}

TrainSaneWizard *openTrainSaneWizard(MainWindow &window)
{
    auto *wizard = new TrainSaneWizard(window.document() ? window.document()->path() : QString(), &window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(wizard, &QWizard::accepted, &window, [&window, wizard] {
        jobCentre(window)->startSaneTraining(wizard->zooPath(), wizard->config(), wizard->device(), wizard->precision(),
                                             wizard->runDir(), wizard->runner());
    });
    wizard->open();
    return wizard;
}

SampleWizard *openSampleWizard(MainWindow &window)
{
    SampleContext context;
    context.zoo = &window.document()->zoo();
    context.zooPath = window.document()->path();
    context.encoderPath = window.document()->encoderPath();
    context.filter = window.filter();
    context.selected = window.selectedCheckpoints();
    context.defaultOutput = window.generation()->freeOutputPath(window.workspacePath(), "samples");
    auto *wizard = new SampleWizard(context, &window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(wizard, &QWizard::accepted, &window, [&window, wizard] { jobCentre(window)->startSampling(wizard->options(), wizard->runner()); });
    wizard->open();
    return wizard;
}

void addTrainMenu(MainWindow &window)
{
    auto *jobs = new JobCentre(&window);
    window.addDockWidget(Qt::BottomDockWidgetArea, jobs);
    if (auto *table = window.findChild<QDockWidget *>("tableDock")) // a tab beside the table: both want the width
        window.tabifyDockWidget(table, jobs);
    if (jobs->jobs().empty())
        jobs->hide();
    QObject::connect(jobs, &JobCentre::zooReady, &window, [&window](const QString &path) { window.openZoo(path); });
    QObject::connect(jobs, &JobCentre::embeddingsReady, &window, [&window](const QString &zoo, const QString &embeddings) {
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(&window, &MainWindow::documentLoaded, &window, [&window, connection] {
            QObject::disconnect(*connection);
            window.setMapSource(MapSource::SaneEmbeddings);
        });
        const ZooDocument *open = window.document();
        const bool sameZoo = open && open->path() == zoo;
        window.openZoo(sameZoo && !open->workspacePath().isEmpty() ? open->workspacePath() : zoo, embeddings); // layouts kept
    });
    QObject::connect(jobs, &JobCentre::metricsReady, &window, [&window](const QString &zoo) {
        const ZooDocument *open = window.document();
        if (open && open->path() == zoo) // the new columns show once the zoo is read again (layouts kept)
            window.openZoo(!open->workspacePath().isEmpty() ? open->workspacePath() : zoo);
    });
    QObject::connect(jobs, &JobCentre::samplesReady, &window, [&window](const SampleOptions &options, const QString &report) {
        if (!window.document() || window.document()->path().toStdString() != options.zooPath)
            return; // another zoo is open now: the networks stay in their file
        window.generation()->adoptSamples(options, report);
        if (window.mapSource() != MapSource::SaneEmbeddings && window.document()->hasMap(MapSource::SaneEmbeddings))
            window.setMapSource(MapSource::SaneEmbeddings); // where generated networks are placed
    });

    QMenu *menu = window.menuBar()->addMenu(QObject::tr("&Train"));
    QAction *newZoo = menu->addAction(QObject::tr("&New Zoo..."), &window, [&window] { openNewZooWizard(window); });
    newZoo->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+N")));
    newZoo->setObjectName("newZooAction");
    setActionIcon(newZoo, "train");
    newZoo->setStatusTip(QObject::tr("Train a population of networks over variation axes (a new model zoo)"));
    QAction *sane = menu->addAction(QObject::tr("Train &SANE..."), &window, [&window] { openTrainSaneWizard(window); });
    sane->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+T")));
    sane->setObjectName("trainSaneAction");
    setActionIcon(sane, "train-sane");
    sane->setStatusTip(QObject::tr("Train a SANE encoder on a zoo (the open one by default)"));
    QAction *metrics = menu->addAction(QObject::tr("Compute Spectral &Metrics"), &window, [&window, jobs] {
        if (window.document())
            jobs->startSpectralMetrics(window.document()->path());
    });
    metrics->setObjectName("spectralMetricsAction");
    metrics->setStatusTip(QObject::tr("WeightWatcher's data-free alpha, norms and stable rank of every checkpoint, as "
                                      "columns to colour the map by (a job; the zoo reopens with them)"));
    menu->addSeparator();
    QAction *showJobs = jobs->toggleViewAction();
    showJobs->setText(QObject::tr("&Jobs"));
    showJobs->setObjectName("jobsAction");
    setActionIcon(showJobs, "jobs");
    menu->addAction(showJobs);
}

} // namespace wse
