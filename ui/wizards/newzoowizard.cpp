#include "wizards/newzoowizard.h"

#include "common/error.h"
#include "wizards/pageerror.h"
#include "jobs/runnerchoice.h"
#include "wizards/runfields.h"
#include "data/datasets.h"
#include "training/zooestimate.h"
#include "zoo/architecture.h"
#include "formats/fileformat.h"
#include "preferences/filedialogs.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

namespace wse {

namespace {

QListWidget *checkList(const std::vector<std::string> &names, const std::vector<std::string> &checked, const QString &objectName)
{
    auto *list = new QListWidget;
    list->setObjectName(objectName);
    for (const std::string &name : names) {
        auto *item = new QListWidgetItem(QString::fromStdString(name), list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(std::find(checked.begin(), checked.end(), name) != checked.end() ? Qt::Checked : Qt::Unchecked);
    }
    list->setMaximumHeight(150);
    return list;
}

std::vector<std::string> checkedNames(const QListWidget *list)
{
    std::vector<std::string> names;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            names.push_back(list->item(i)->text().toStdString());
    return names;
}

QLineEdit *lineEdit(const QString &text, const QString &objectName, const QString &tip)
{
    auto *edit = new QLineEdit(text);
    edit->setObjectName(objectName);
    edit->setToolTip(tip);
    return edit;
}

// "3e-4, 1e-3 0.01" -> numbers; throws UsageError naming the field and the bad entry.
template <typename T> std::vector<T> numbers(const QLineEdit *edit, const QString &field)
{
    std::vector<T> values;
    for (const QString &part : edit->text().split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = part.toDouble(&ok);
        if (!ok)
            throw UsageError(field.toStdString() + ": '" + part.toStdString() + "' is not a number");
        values.push_back(T(value));
    }
    return values;
}

} // namespace

// Page 1: the data. A dataset whose files are missing or malformed is refused here, with the
// loader's message (which names the file and what was expected).
class ZooDatasetPage : public QWizardPage
{
public:
    explicit ZooDatasetPage(NewZooWizard *w) : wizard(w)
    {
        setTitle(tr("Dataset"));
        setSubTitle(tr("What the networks learn. Debian ships Fashion-MNIST and the sklearn sets; "
                       "MNIST-family IDX files and CIFAR binary batches come from a folder."));
        w->mDataset = new QComboBox;
        w->mDataset->setObjectName("dataset");
        for (const DatasetInfo &info : knownDatasets())
            w->mDataset->addItem(QString::fromStdString(info.description), QString::fromStdString(info.name));
        w->mDataRoot = lineEdit({}, "dataRoot", tr("Folder with the dataset's files (for datasets Debian does not ship)"));
        auto *browse = new QPushButton(tr("Browse..."));
        connect(browse, &QPushButton::clicked, this, [w] {
            const QString folder = chooseFolder(w, tr("Dataset folder"), QStringLiteral("dataset"), w->mDataRoot->text());
            if (!folder.isEmpty())
                w->mDataRoot->setText(folder);
        });
        w->mTrainLimit = spinBox(0, 10000000, 0, "trainLimit");
        w->mTrainLimit->setSpecialValueText(tr("all"));
        w->mTestLimit = spinBox(0, 10000000, 0, "testLimit");
        w->mTestLimit->setSpecialValueText(tr("all"));
        auto *form = new QFormLayout(this);
        form->addRow(tr("Dataset:"), w->mDataset);
        form->addRow(tr("Folder:"), pathRow(w->mDataRoot, browse));
        form->addRow(tr("Training images (subset):"), w->mTrainLimit);
        form->addRow(tr("Test images (subset):"), w->mTestLimit);
        w->mDatasetError = pageErrorLabel();
        form->addRow(w->mDatasetError);
        auto update = [w] {
            const DatasetInfo &info = datasetInfo(w->mDataset->currentData().toString().toStdString());
            w->mDataRoot->setEnabled(info.needsRoot);
            w->mDatasetError->clear();
        };
        connect(w->mDataset, &QComboBox::currentIndexChanged, this, update);
        update();
    }

    bool validatePage() override
    {
        DatasetOptions options;
        options.name = wizard->mDataset->currentData().toString().toStdString();
        options.root = wizard->mDataRoot->isEnabled() ? wizard->mDataRoot->text().toStdString() : std::string();
        if (datasetInfo(options.name).needsRoot && options.root.empty()) {
            wizard->mDatasetError->setText(tr("%1 needs the folder that holds its files.").arg(wizard->mDataset->currentText()));
            return false;
        }
        options.trainLimit = options.testLimit = 1;
        return pageCheckPasses(wizard->mDatasetError, [&] { loadDataset(options); });
    }

private:
    NewZooWizard *wizard;
};

// Page 2: the architecture and the variation axes, with the number of models they make.
class ZooModelsPage : public QWizardPage
{
public:
    explicit ZooModelsPage(NewZooWizard *w) : wizard(w)
    {
        setTitle(tr("Architecture and variation"));
        setSubTitle(tr("Every combination of the checked values (grid), or that many random combinations. "
                       "Number lists are separated by commas or spaces."));
        const ZooTrainOptions defaults;
        w->mArchitecture = new QComboBox;
        w->mArchitecture->setObjectName("architecture");
        for (const std::string &family : knownNetworkFamilies())
            w->mArchitecture->addItem(QString::fromStdString(family));
        w->mInits = checkList(knownInits(), defaults.inits, "inits");
        w->mActivations = checkList(knownActivations(), defaults.activations, "activations");
        w->mOptimizers = checkList(knownOptimizers(), defaults.optimizers, "optimizers");
        w->mLearningRates = lineEdit("3e-4", "learningRates", tr("Learning rates"));
        w->mWeightDecays = lineEdit("0", "weightDecays", tr("Weight decays"));
        w->mDropouts = lineEdit("0", "dropouts", tr("Dropout probabilities in [0, 1)"));
        w->mBatchSizes = lineEdit("10", "batchSizes", tr("Batch sizes (the official zoos: 10)"));
        w->mSeeds = lineEdit("1 2", "seeds", tr("Seeds: one model per seed and combination"));
        w->mSearch = new QComboBox;
        w->mSearch->setObjectName("search");
        w->mSearch->addItem(tr("grid: every combination"), "grid");
        w->mSearch->addItem(tr("random: draw combinations"), "random");
        w->mModels = spinBox(0, 1000000, 64, "models");
        auto *axes = new QHBoxLayout;
        for (auto [title, list] : {std::pair{tr("Init"), w->mInits}, {tr("Activation"), w->mActivations}, {tr("Optimizer"), w->mOptimizers}}) {
            auto *column = new QVBoxLayout;
            column->addWidget(new QLabel(title));
            column->addWidget(list);
            axes->addLayout(column);
        }
        auto *form = new QFormLayout(this);
        form->addRow(tr("Architecture:"), w->mArchitecture);
        form->addRow(axes);
        form->addRow(tr("Learning rates:"), w->mLearningRates);
        form->addRow(tr("Weight decays:"), w->mWeightDecays);
        form->addRow(tr("Dropout:"), w->mDropouts);
        form->addRow(tr("Batch sizes:"), w->mBatchSizes);
        form->addRow(tr("Seeds:"), w->mSeeds);
        form->addRow(tr("Search:"), w->mSearch);
        form->addRow(tr("Models (random search):"), w->mModels);
        w->mModelsCount = new QLabel;
        w->mModelsCount->setObjectName("modelsCount");
        form->addRow(w->mModelsCount);
        mError = pageErrorLabel();
        form->addRow(mError);
        for (QListWidget *list : {w->mInits, w->mActivations, w->mOptimizers})
            connect(list, &QListWidget::itemChanged, this, [w] { w->updateCount(); });
        for (QLineEdit *edit : {w->mLearningRates, w->mWeightDecays, w->mDropouts, w->mBatchSizes, w->mSeeds})
            connect(edit, &QLineEdit::textChanged, this, [w] { w->updateCount(); });
        connect(w->mSearch, &QComboBox::currentIndexChanged, this, [w] {
            w->mModels->setEnabled(w->mSearch->currentData() == "random");
            w->updateCount();
        });
        connect(w->mModels, &QSpinBox::valueChanged, this, [w] { w->updateCount(); });
        connect(w->mArchitecture, &QComboBox::currentIndexChanged, this, [w] {
            const bool resnet = w->mArchitecture->currentText() == "resnet-18"; // ReLU, no dropout: fixed
            w->mActivations->setEnabled(!resnet);
            w->mDropouts->setEnabled(!resnet);
            w->updateCount();
        });
        w->mModels->setEnabled(false);
    }

    void initializePage() override { wizard->updateCount(); }

    bool validatePage() override
    {
        for (auto [list, axis] : {std::pair{wizard->mInits, tr("init")}, {wizard->mActivations, tr("activation")},
                                  {wizard->mOptimizers, tr("optimizer")}})
            if (list->isEnabled() && checkedNames(list).empty()) {
                mError->setText(tr("Check at least one %1.").arg(axis));
                return false;
            }
        return pageCheckPasses(mError, [this] {
            if (countZoo(wizard->options()).models == 0)
                throw UsageError("these settings make no model: check at least one value of every axis");
        });
    }

    QLabel *mError = nullptr;

private:
    NewZooWizard *wizard;
};

// Page 3: how long, where, and into which file — with the cost of it all.
class ZooRunPage : public QWizardPage
{
public:
    explicit ZooRunPage(NewZooWizard *w) : wizard(w)
    {
        setTitle(tr("Training run"));
        setSubTitle(tr("The zoo file is valid after every epoch; cancelling keeps it, and the job resumes "
                       "from the last finished epoch."));
        w->mEpochs = spinBox(0, 10000, 5, "epochs");
        w->mCheckpointEpochs = lineEdit({}, "checkpointEpochs", tr("Epochs to store, e.g. 0 1 5 10 (empty: every epoch)"));
        w->mCheckpointEpochs->setPlaceholderText(tr("every epoch"));
        w->mPopulation = spinBox(1, 100000, 64, "population");
        w->mPopulation->setToolTip(tr("Models advanced together per step"));
        w->mDevice = deviceBox();
        w->mOutput = lineEdit({}, "output", tr("The zoo file to write (HDF5)"));
        auto *browse = new QPushButton(tr("Browse..."));
        connect(browse, &QPushButton::clicked, this, [w] {
            const QString path = chooseFileToSave(w, tr("New zoo file"), FileKind::Zoo, w->mOutput->text());
            if (!path.isEmpty())
                w->mOutput->setText(path.endsWith(".h5") ? path : path + ".h5");
        });
        w->mRunSummary = new QLabel;
        w->mRunSummary->setObjectName("runSummary");
        w->mRunSummary->setWordWrap(true);
        w->mEstimate = new QPushButton(tr("Estimate Time"));
        w->mEstimate->setObjectName("estimate");
        w->mCommand = new QLabel;
        w->mCommand->setObjectName("command");
        w->mCommand->setTextInteractionFlags(Qt::TextSelectableByMouse);
        w->mCommand->setWordWrap(true);
        auto *form = new QFormLayout(this);
        form->addRow(tr("Epochs:"), w->mEpochs);
        form->addRow(tr("Checkpoints at epochs:"), w->mCheckpointEpochs);
        form->addRow(tr("Population size:"), w->mPopulation);
        w->mRunner = runnerChoice();
        form->addRow(tr("Runs on:"), w->mRunner);
        form->addRow(tr("Device:"), w->mDevice);
        form->addRow(tr("Output:"), pathRow(w->mOutput, browse));
        form->addRow(w->mRunSummary);
        form->addRow(w->mEstimate);
        form->addRow(tr("Same job from a shell:"), w->mCommand);
        mError = pageErrorLabel();
        form->addRow(mError);
        connect(w->mRunner, &RunnerChoice::runnerChanged, this, [this, w] {
            mError->clear();
            w->updateCount();
        });
        connect(w->mEstimate, &QPushButton::clicked, this, [w] { w->estimateTime(); });
        connect(w->mEpochs, &QSpinBox::valueChanged, this, [w] { w->updateCount(); });
        connect(w->mCheckpointEpochs, &QLineEdit::textChanged, this, [w] { w->updateCount(); });
        connect(w->mOutput, &QLineEdit::textChanged, this, [this, w] {
            mError->clear();
            w->updateCount();
        });
    }

    void initializePage() override { wizard->updateCount(); }

    bool validatePage() override
    {
        const QFileInfo output(wizard->mOutput->text());
        QString problem;
        if (const QString refusal = deviceRefusal(wizard->runner(), wizard->mDevice->currentText()); !refusal.isEmpty())
            problem = refusal;
        else if (wizard->mOutput->text().trimmed().isEmpty())
            problem = tr("Choose the zoo file to write.");
        else if (!output.absoluteDir().exists())
            problem = tr("The folder %1 does not exist.").arg(output.absolutePath());
        else if (!QFileInfo(output.absolutePath()).isWritable())
            problem = tr("The folder %1 is not writable.").arg(output.absolutePath());
        else
            try {
                if (countZoo(wizard->options()).models == 0)
                    problem = tr("These settings make no model.");
            } catch (const std::exception &error) {
                problem = QString::fromStdString(error.what());
            }
        mError->setText(problem);
        return problem.isEmpty();
    }

    QLabel *mError = nullptr;

private:
    NewZooWizard *wizard;
};

NewZooWizard::NewZooWizard(QWidget *parent) : QWizard(parent)
{
    setWindowTitle(tr("New Zoo"));
    setObjectName("newZooWizard");
    addPage(new ZooDatasetPage(this));
    addPage(new ZooModelsPage(this));
    addPage(new ZooRunPage(this));
    setOption(QWizard::NoBackButtonOnStartPage);
    resize(720, 620);
}

ZooTrainOptions NewZooWizard::options() const
{
    ZooTrainOptions o;
    o.name = QFileInfo(mOutput->text()).completeBaseName().toStdString();
    if (o.name.empty())
        o.name = "zoo";
    o.architecture = mArchitecture->currentText().toStdString();
    o.datasets = {mDataset->currentData().toString().toStdString()};
    o.dataRoot = mDataRoot->isEnabled() ? mDataRoot->text().toStdString() : std::string();
    o.trainLimit = mTrainLimit->value();
    o.testLimit = mTestLimit->value();
    o.inits = checkedNames(mInits);
    o.activations = checkedNames(mActivations);
    o.optimizers = checkedNames(mOptimizers);
    o.learningRates = numbers<double>(mLearningRates, tr("learning rates"));
    o.weightDecays = numbers<double>(mWeightDecays, tr("weight decays"));
    o.dropouts = numbers<double>(mDropouts, tr("dropout"));
    o.batchSizes = numbers<int>(mBatchSizes, tr("batch sizes"));
    o.seeds = numbers<int64_t>(mSeeds, tr("seeds"));
    o.search = mSearch->currentData().toString().toStdString();
    o.models = mModels->value();
    o.epochs = mEpochs->value();
    o.checkpointEpochs = numbers<int>(mCheckpointEpochs, tr("checkpoint epochs"));
    o.populationSize = mPopulation->value();
    o.device = mDevice->currentText().toStdString();
    return o;
}

QString NewZooWizard::outputPath() const { return mOutput->text(); }

Runner NewZooWizard::runner() const { return mRunner ? mRunner->runner() : defaultRunner(); }

QString NewZooWizard::pageError() const { return currentPageError(*this); }

void NewZooWizard::updateCount()
{
    if (!mOutput || !mModelsCount)
        return; // still building the pages
    if (auto *error = currentPage() ? currentPage()->findChild<QLabel *>("pageError") : nullptr)
        error->clear(); // the settings changed: an earlier refusal no longer applies
    QString text;
    try {
        const ZooEstimate count = countZoo(options());
        text = (count.models == 1 ? tr("1 model") : tr("%1 models").arg(count.models)) + tr(", %1 checkpoints").arg(count.checkpoints);
    } catch (const std::exception &error) {
        text = QString::fromStdString(error.what());
    }
    mModelsCount->setText(text);
    mRunSummary->setText(text + tr(" — press Estimate Time for the disk size and the time on this device"));
    const QString output = mOutput->text().isEmpty() ? "ZOO.h5" : mOutput->text();
    mCommand->setText(QString("%1 zoo train --config %2.config.json -o %2").arg(runner().commandPrefix(), output));
}

void NewZooWizard::estimateTime()
{
    ZooTrainOptions o;
    try {
        o = options();
        countZoo(o);
    } catch (const std::exception &error) {
        mRunSummary->setText(QString::fromStdString(error.what()));
        return;
    }
    mEstimate->setEnabled(false);
    mRunSummary->setText(tr("Timing a few training steps on %1...").arg(QString::fromStdString(o.device)));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        mRunSummary->setText(watcher->result());
        mEstimate->setEnabled(true);
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([o] {
        try {
            return QString::fromStdString(estimateZoo(o).text());
        } catch (const std::exception &error) {
            return QString::fromStdString(error.what());
        }
    }));
}

} // namespace wse
