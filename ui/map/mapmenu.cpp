#include "map/mapmenu.h"

#include "document/zoodocument.h"
#include "jobs/jobcentre.h"
#include "mainwindow.h"
#include "map/layoutcontroller.h"
#include "wizards/runfields.h"
#include "wizards/trainmenu.h"

#include "common/error.h"
#include "torchutil/device.h"
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

void askEmbedding(MainWindow &window)
{
    QDialog dialog(&window);
    dialog.setWindowTitle(QObject::tr("Embed with a SANE Encoder"));
    auto *form = new QFormLayout(&dialog);
    auto *encoder = new QLineEdit(window.document()->encoderPath());
    auto *browse = new QPushButton(QObject::tr("Browse..."));
    QObject::connect(browse, &QPushButton::clicked, &dialog, [&dialog, encoder] {
        const QString path = chooseFileToOpen(&dialog, QObject::tr("SANE encoder"), {FileKind::Encoder}, encoder->text());
        if (!path.isEmpty())
            encoder->setText(path);
    });
    QComboBox *device = deviceBox(), *precision = precisionBox();
    form->addRow(QObject::tr("Encoder:"), pathRow(encoder, browse));
    form->addRow(QObject::tr("Device:"), device);
    form->addRow(QObject::tr("Precision:"), precision);
    form->addRow(new QLabel(QObject::tr("On this machine \"auto\" is %1.").arg(QString::fromStdString(describeDevice(resolveDevice("auto"))))));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!embedOpenZoo(window, encoder->text().trimmed(), device->currentText(), precision->currentText(), &error))
        QMessageBox::warning(&window, QObject::tr("Embed"), error);
}

void askLayoutParameters(MainWindow &window)
{
    const ProjectionMethod method = window.layoutMethod();
    if (method == ProjectionMethod::Pca) {
        QMessageBox::information(&window, QObject::tr("Layout Parameters"),
                                 QObject::tr("PCA has no parameters. Choose t-SNE or UMAP as the layout to tune it."));
        return;
    }
    const ProjectionSettings settings = window.layouts()->settings(method);
    QDialog dialog(&window);
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
        if (setLayoutParameters(window, assignments.join(' '), &problem))
            dialog.accept();
        else
            error->setText(problem);
    });
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    dialog.exec();
}

} // namespace

bool embedOpenZoo(MainWindow &window, const QString &encoderPath, const QString &device, const QString &precision,
                  QString *error)
{
    if (!window.document()) {
        *error = QObject::tr("Open a zoo first.");
        return false;
    }
    if (!QFileInfo(encoderPath).isFile()) {
        *error = QObject::tr("No SANE encoder at '%1'.").arg(encoderPath);
        return false;
    }
    const QFileInfo zoo(window.document()->path());
    QString output;
    for (int n = 1; output.isEmpty() || QFileInfo::exists(output); ++n) // never over an existing file
        output = zoo.dir().filePath(QStringLiteral("%1-embeddings-%2.h5").arg(zoo.completeBaseName()).arg(n));
    jobCentre(window)->startEmbedding(encoderPath, window.document()->path(), device, precision, output);
    return true;
}

bool setLayoutParameters(MainWindow &window, const QString &assignments, QString *error)
{
    ProjectionSettings settings = window.layouts()->settings(window.layoutMethod());
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
    window.layouts()->setSettings(settings);
    return true;
}

void addMapMenu(MainWindow &window)
{
    QMenu *menu = window.menuBar()->addMenu(QObject::tr("&Map"));
    QAction *embed = menu->addAction(QObject::tr("&Embed with a SANE Encoder..."), &window, [&window] {
        if (window.document())
            askEmbedding(window);
    });
    embed->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+M")));
    embed->setStatusTip(QObject::tr("Embed every checkpoint with a SANE encoder (a job); the SANE map opens when it ends"));
    QAction *parameters = menu->addAction(QObject::tr("Layout &Parameters..."), &window, [&window] {
        if (window.document())
            askLayoutParameters(window);
    });
    parameters->setShortcut(QKeySequence(QObject::tr("Ctrl+Shift+P")));
    // Every layout of the shown map computed so far (each method and parameters), to go back to.
    QMenu *computed = menu->addMenu(QObject::tr("&Computed Layouts"));
    QObject::connect(menu, &QMenu::aboutToShow, computed, [&window, computed] {
        computed->clear();
        const ProjectionSettings current = window.layouts()->settings(window.layoutMethod());
        for (const Projection &layout : window.layouts()->finishedLayouts(window.mapSource())) {
            QString text = QString::fromStdString(layout.settings.describe());
            if (layout.quality.queries > 0)
                text += QObject::tr(" — trustworthiness %1").arg(layout.quality.trustworthiness, 0, 'f', 3);
            QAction *action = computed->addAction(text, &window, [&window, settings = layout.settings] {
                showLayoutVariant(window, settings);
            });
            action->setCheckable(true);
            action->setChecked(layout.settings.toJson() == current.toJson());
        }
        computed->setEnabled(!computed->isEmpty());
    });
}

void showLayoutVariant(MainWindow &window, const ProjectionSettings &settings)
{
    window.layouts()->setSettings(settings);
    window.setLayoutMethod(settings.method);
}

} // namespace wse
