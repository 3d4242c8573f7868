#include "map/mapmenu.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"
#include "icons.h"
#include "jobs/jobcentre.h"
#include "jobs/runnerchoice.h"
#include "map/layoutcontroller.h"
#include "wizards/runfields.h"

#include "common/error.h"
#include "formats/fileformat.h"
#include "preferences/filedialogs.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>

namespace wse {

namespace {

// Parameters worth changing, per method, by their scikit-learn / umap-learn names.
QStringList tunedKeys(ProjectionMethod method)
{
    if (method == ProjectionMethod::Tsne)
        return {"perplexity", "early_exaggeration", "learning_rate", "n_iter", "angle", "metric", "random_state"};
    return {"n_neighbors", "min_dist", "spread", "n_epochs", "negative_sample_rate", "init", "metric", "random_state"};
}

QString currentValue(const ProjectionSettings &settings, const QString &key)
{
    if (key == "perplexity") return QString::number(settings.perplexity);
    if (key == "early_exaggeration") return QString::number(settings.earlyExaggeration);
    if (key == "learning_rate") return settings.learningRate > 0 ? QString::number(settings.learningRate) : "auto";
    if (key == "n_iter") return QString::number(settings.iterations);
    if (key == "angle") return QString::number(settings.theta);
    if (key == "n_neighbors") return QString::number(settings.neighbors);
    if (key == "min_dist") return QString::number(settings.minDist);
    if (key == "spread") return QString::number(settings.spread);
    if (key == "n_epochs") return settings.epochs > 0 ? QString::number(settings.epochs) : "auto";
    if (key == "negative_sample_rate") return QString::number(settings.negativeRate);
    if (key == "init") return QString::fromStdString(settings.init);
    if (key == "metric") return settings.metric == DistanceMetric::Cosine ? "cosine" : "euclidean";
    if (key == "random_state") return QString::number(settings.seed);
    return {};
}

} // namespace

void MapActions::askEmbedding()
{
    QDialog dialog(mWindow);
    dialog.setWindowTitle(QObject::tr("Embed with a SANE Encoder"));
    auto *form = new QFormLayout(&dialog);
    auto *encoder = new QLineEdit(mDocument.zoo()->encoderPath());
    auto *browse = new QPushButton(QObject::tr("Browse..."));
    QObject::connect(browse, &QPushButton::clicked, &dialog, [&dialog, encoder] {
        const QString path = chooseFileToOpen(&dialog, QObject::tr("SANE encoder"), {FileKind::Encoder}, encoder->text());
        if (!path.isEmpty())
            encoder->setText(path);
    });
    QComboBox *device = deviceBox(), *precision = precisionBox();
    RunnerChoice *runner = runnerChoice();
    form->addRow(QObject::tr("Encoder:"), pathRow(encoder, browse));
    form->addRow(QObject::tr("Runs on:"), runner);
    form->addRow(QObject::tr("Device:"), device);
    form->addRow(QObject::tr("Precision:"), precision);
    form->addRow(new QLabel(QObject::tr("\"auto\": the runner's first CUDA device when it has one, else its CPU.")));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!embedOpenZoo(encoder->text().trimmed(), device->currentText(), precision->currentText(), &error, runner->runner()))
        QMessageBox::warning(mWindow, QObject::tr("Embed"), error);
}

void MapActions::askLayoutParameters()
{
    const ProjectionMethod method = mDocument.view().layout;
    if (method == ProjectionMethod::Pca) {
        QMessageBox::information(mWindow, QObject::tr("Layout Parameters"),
                                 QObject::tr("PCA has no parameters. Choose t-SNE or UMAP as the layout to tune it."));
        return;
    }
    const ProjectionSettings settings = mLayouts.settings(method);
    QDialog dialog(mWindow);
    dialog.setWindowTitle(QObject::tr("%1 Parameters").arg(method == ProjectionMethod::Tsne ? "t-SNE" : "UMAP"));
    auto *form = new QFormLayout(&dialog);
    std::vector<std::pair<QString, QLineEdit *>> edits;
    for (const QString &key : tunedKeys(method)) {
        auto *edit = new QLineEdit(currentValue(settings, key));
        form->addRow(key + ":", edit);
        edits.emplace_back(key, edit);
    }
    auto *error = new QLabel;
    error->setStyleSheet("color: #b00020;");
    error->setWordWrap(true);
    form->addRow(error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        QStringList assignments;
        for (const auto &[key, edit] : edits)
            if (edit->text().trimmed() != currentValue(settings, key))
                assignments << key + "=" + edit->text().trimmed();
        QString problem;
        if (setLayoutParameters(assignments.join(' '), &problem))
            dialog.accept();
        else
            error->setText(problem);
    });
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    dialog.exec();
}


bool MapActions::embedOpenZoo(const QString &encoderPath, const QString &device, const QString &precision,
                              QString *error, const Runner &runner)
{
    if (!mDocument.zoo()) {
        *error = QObject::tr("Open a zoo first.");
        return false;
    }
    if (!QFileInfo(encoderPath).isFile()) {
        *error = QObject::tr("No SANE encoder at '%1'.").arg(encoderPath);
        return false;
    }
    const QString output = freeEmbeddingsPath(mDocument.zoo()->path());
    if (const QString refusal = deviceRefusal(runner, device); !refusal.isEmpty()) {
        *error = refusal;
        return false;
    }
    mJobs()->startEmbedding(encoderPath, mDocument.zoo()->path(), device, precision, output, runner);
    return true;
}

bool MapActions::setLayoutParameters(const QString &assignments, QString *error)
{
    ProjectionSettings settings = mLayouts.settings(mDocument.view().layout);
    try {
        for (const QString &assignment : assignments.split(' ', Qt::SkipEmptyParts)) {
            const int equals = assignment.indexOf('=');
            if (equals <= 0)
                throw UsageError("'" + assignment.toStdString() + "': give KEY=VALUE");
            settings.set(assignment.left(equals).toStdString(), assignment.mid(equals + 1).toStdString());
        }
    } catch (const Error &problem) {
        *error = QString::fromStdString(problem.what());
        return false;
    }
    mLayouts.setSettings(settings);
    return true;
}

MapActions::MapActions(QMainWindow *window, ExplorerDocument &document, LayoutController &layouts,
                       std::function<JobCentre *()> jobs)
    : QObject(window), mWindow(window), mDocument(document), mLayouts(layouts), mJobs(std::move(jobs))
{
    addMenu();
}

void MapActions::addMenu()
{
    QMenu *menu = mWindow->menuBar()->addMenu(QObject::tr("&Map"));
    QAction *embed = menu->addAction(QObject::tr("&Embed with a SANE Encoder..."), this, [this] {
        if (mDocument.zoo())
            askEmbedding();
    });
    embed->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+M")));
    embed->setObjectName("embedAction");
    setActionIcon(embed, "embed");
    embed->setStatusTip(QObject::tr("Embed every checkpoint with a SANE encoder (a job); the SANE map opens when it ends"));
    QAction *parameters = menu->addAction(QObject::tr("Layout &Parameters..."), this, [this] {
        if (mDocument.zoo())
            askLayoutParameters();
    });
    parameters->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+P")));
    // Every layout of the shown map computed so far (each method and parameters), to go back to.
    QMenu *computed = menu->addMenu(QObject::tr("&Computed Layouts"));
    QObject::connect(menu, &QMenu::aboutToShow, computed, [this, computed] {
        computed->clear();
        const ProjectionSettings current = mLayouts.settings(mDocument.view().layout);
        for (const Projection &layout : mLayouts.finishedLayouts(mDocument.view().map)) {
            QString text = QString::fromStdString(layout.settings.describe());
            if (layout.quality.queries > 0)
                text += QObject::tr(" — trustworthiness %1").arg(layout.quality.trustworthiness, 0, 'f', 3);
            QAction *action = computed->addAction(text, this, [this, settings = layout.settings] {
                showLayoutVariant(settings);
            });
            action->setCheckable(true);
            action->setChecked(layout.settings.toJson() == current.toJson());
        }
        computed->setEnabled(!computed->isEmpty());
    });
}

void MapActions::showLayoutVariant(const ProjectionSettings &settings)
{
    mLayouts.setSettings(settings);
    mDocument.setLayoutMethod(settings.method);
}

} // namespace wse
