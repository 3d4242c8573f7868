#include "wizards/samplewizard.h"

#include "map/mapcolumns.h"
#include "wizards/pageerror.h"
#include "jobs/runnerchoice.h"
#include "wizards/runfields.h"

#include "analysis/selection.h"
#include "common/error.h"
#include "zoo/zoo.h"
#include "formats/fileformat.h"
#include "preferences/filedialogs.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

#include <numeric>

namespace wse {

namespace {

QString quoted(const QString &text) { return "'" + QString(text).replace("'", "'\\''") + "'"; }

} // namespace

// Page 1: which checkpoints anchor the samples.
class SampleAnchorsPage : public QWizardPage
{
public:
    explicit SampleAnchorsPage(SampleWizard *w) : wizard(w)
    {
        setTitle(tr("Anchors"));
        setSubTitle(tr("Samples are drawn around the latent representations of these checkpoints. They must share one "
                       "dataset and one activation (a sampled network has one of each)."));
        const SampleContext &context = w->mContext;
        w->mFromSelection = new QRadioButton(tr("The %n checkpoint(s) selected on the map", nullptr, int(context.selected.size())));
        w->mFromSelection->setObjectName("fromSelection");
        w->mFromSelection->setEnabled(!context.selected.empty());
        w->mFromFilter = new QRadioButton(tr("Checkpoints matching a filter expression:"));
        w->mFromFilter->setObjectName("fromFilter");
        auto *group = new QButtonGroup(this);
        group->addButton(w->mFromSelection);
        group->addButton(w->mFromFilter);
        w->mFilter = new QLineEdit(context.filter);
        w->mFilter->setObjectName("anchorFilter");
        w->mFilter->setPlaceholderText(tr("e.g. test_acc >= 0.8 && activation == \"tanh\" (empty: every checkpoint)"));
        (context.selected.empty() ? w->mFromFilter : w->mFromSelection)->setChecked(true);
        w->mAnchorSummary = new QLabel;
        w->mAnchorSummary->setObjectName("anchorSummary");
        w->mAnchorSummary->setWordWrap(true);
        auto *encoder = new QLabel(tr("Encoder: %1").arg(context.encoderPath.isEmpty() ? tr("none") : context.encoderPath));
        encoder->setWordWrap(true);
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(encoder);
        layout->addWidget(w->mFromSelection);
        layout->addWidget(w->mFromFilter);
        layout->addWidget(w->mFilter);
        layout->addWidget(w->mAnchorSummary);
        layout->addStretch(1);
        mError = pageErrorLabel();
        layout->addWidget(mError);
        connect(w->mFromSelection, &QRadioButton::toggled, this, [this, w] {
            mError->clear();
            w->describeAnchors();
        });
        connect(w->mFilter, &QLineEdit::textChanged, this, [this, w] {
            mError->clear();
            w->mFromFilter->setChecked(true);
            w->describeAnchors();
        });
        w->describeAnchors();
    }

    bool validatePage() override
    {
        return pageCheckPasses(mError, [this] {
            if (wizard->mContext.encoderPath.isEmpty())
                throw UsageError("sampling needs a SANE encoder: open the zoo with one, or train one (Train > Train SANE)");
            QString problem;
            wizard->anchors(&problem);
            if (!problem.isEmpty())
                throw UsageError(problem.toStdString());
        });
    }

private:
    SampleWizard *wizard;
    QLabel *mError = nullptr;
};

// Page 2: how many, how far from the anchors, and what happens to the kept ones.
class SampleSettingsPage : public QWizardPage
{
public:
    explicit SampleSettingsPage(SampleWizard *w) : wizard(w)
    {
        setTitle(tr("Sampling"));
        setSubTitle(tr("Each sample is an anchor's latent tokens plus Gaussian noise of the given bandwidth, decoded into "
                       "a network; all are evaluated and the best on validation data are kept."));
        const SampleOptions defaults;
        w->mCount = spinBox(1, 100000, int(defaults.count), "count");
        w->mKeep = spinBox(1, 100000, int(defaults.keep), "keep");
        w->mBandwidth = new QDoubleSpinBox;
        w->mBandwidth->setObjectName("bandwidth");
        w->mBandwidth->setRange(0.0, 10.0);
        w->mBandwidth->setDecimals(3);
        w->mBandwidth->setSingleStep(0.05);
        w->mBandwidth->setValue(defaults.bandwidth);
        w->mSeed = spinBox(0, 1 << 30, int(defaults.seed), "seed");
        w->mFinetune = spinBox(0, 1000, defaults.finetuneEpochs, "finetune");
        w->mFinetune->setToolTip(tr("Epochs of training for the kept samples, with their anchors' optimizer settings"));
        w->mBnCondition = spinBox(0, 100000, int(defaults.bnConditionIterations), "bnCondition");
        w->mBnCondition->setToolTip(tr("Batches that re-estimate BatchNorm statistics (networks with BatchNorm only)"));
        w->mEvaluation = new QLabel;
        w->mEvaluation->setObjectName("evaluation");
        w->mEvaluation->setWordWrap(true);
        auto *form = new QFormLayout(this);
        form->addRow(tr("Networks to draw (N):"), w->mCount);
        form->addRow(tr("Keep the best (K):"), w->mKeep);
        form->addRow(tr("Latent bandwidth:"), w->mBandwidth);
        form->addRow(tr("Seed:"), w->mSeed);
        form->addRow(tr("Fine-tuning epochs:"), w->mFinetune);
        form->addRow(tr("BatchNorm conditioning batches:"), w->mBnCondition);
        form->addRow(tr("Evaluation data:"), w->mEvaluation);
        mError = pageErrorLabel();
        form->addRow(mError);
    }

    void initializePage() override
    {
        wizard->mEvaluation->setText(
            tr("the validation split of %1, as the zoo's models were trained (official split); samples are ranked by "
               "validation accuracy, test accuracy is reported")
                .arg(wizard->mDataset.isEmpty() ? tr("the anchors' dataset") : wizard->mDataset));
    }

    bool validatePage() override
    {
        QString problem;
        if (wizard->mKeep->value() > wizard->mCount->value())
            problem = tr("Keep at most as many networks as are drawn (%1).").arg(wizard->mCount->value());
        mError->setText(problem);
        return problem.isEmpty();
    }

private:
    SampleWizard *wizard;
    QLabel *mError = nullptr;
};

// Page 3: where it runs and where the networks go.
class SampleRunPage : public QWizardPage
{
public:
    explicit SampleRunPage(SampleWizard *w) : wizard(w)
    {
        setTitle(tr("Run"));
        setSubTitle(tr("The networks are written as a zoo file (explore, compare, export any as a PyTorch checkpoint) "
                       "and shown on the SANE map."));
        w->mDevice = deviceBox();
        w->mPrecision = precisionBox();
        w->mOutput = new QLineEdit(w->mContext.defaultOutput);
        w->mOutput->setObjectName("output");
        auto *browse = new QPushButton(tr("Browse..."));
        connect(browse, &QPushButton::clicked, this, [w] {
            const QString path = chooseFileToSave(w, tr("Sampled networks"), FileKind::Zoo, w->mOutput->text());
            if (!path.isEmpty())
                w->mOutput->setText(path);
        });
        w->mCommand = new QLabel;
        w->mCommand->setObjectName("command");
        w->mCommand->setWordWrap(true);
        w->mCommand->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *form = new QFormLayout(this);
        w->mRunner = runnerChoice();
        form->addRow(tr("Runs on:"), w->mRunner);
        form->addRow(tr("Device:"), w->mDevice);
        form->addRow(tr("Precision:"), w->mPrecision);
        form->addRow(tr("Output zoo:"), pathRow(w->mOutput, browse));
        form->addRow(tr("Same from a shell:"), w->mCommand);
        mError = pageErrorLabel();
        form->addRow(mError);
        auto describe = [w] {
            w->mCommand->setText(w->runner().commandPrefix() +
                                 QString(" sample --sane %1 --zoo %2 --anchors %3 -n %4 --keep %5 --bandwidth %6 --seed %7 "
                                         "--finetune %8 --bn-condition %9 --device %10 --precision %11 -o %12")
                                     .arg(quoted(w->mContext.encoderPath), quoted(w->mContext.zooPath), quoted(w->anchorExpression()))
                                     .arg(w->mCount->value())
                                     .arg(w->mKeep->value())
                                     .arg(w->mBandwidth->value())
                                     .arg(w->mSeed->value())
                                     .arg(w->mFinetune->value())
                                     .arg(w->mBnCondition->value())
                                     .arg(w->mDevice->currentText(), w->mPrecision->currentText(), quoted(w->mOutput->text())));
        };
        connect(w->mOutput, &QLineEdit::textChanged, this, describe);
        connect(w->mDevice, &QComboBox::currentTextChanged, this, describe);
        connect(w->mPrecision, &QComboBox::currentTextChanged, this, describe);
        connect(w->mRunner, &RunnerChoice::runnerChanged, this, [this, describe] {
            mError->clear();
            describe();
        });
        mDescribe = describe;
    }

    void initializePage() override { mDescribe(); }

    bool validatePage() override
    {
        const QFileInfo output(wizard->mOutput->text().trimmed());
        QString problem;
        if (const QString refusal = deviceRefusal(wizard->runner(), wizard->mDevice->currentText()); !refusal.isEmpty())
            problem = refusal;
        else if (wizard->mOutput->text().trimmed().isEmpty())
            problem = tr("Choose the zoo file the networks are written to.");
        else if (!output.absoluteDir().exists())
            problem = tr("The folder %1 does not exist.").arg(output.absolutePath());
        else if (output.exists())
            problem = tr("%1 exists: choose another name (nothing is overwritten).").arg(output.fileName());
        mError->setText(problem);
        return problem.isEmpty();
    }

private:
    SampleWizard *wizard;
    QLabel *mError = nullptr;
    std::function<void()> mDescribe;
};

SampleWizard::SampleWizard(SampleContext context, QWidget *parent) : QWizard(parent), mContext(std::move(context))
{
    setWindowTitle(tr("Sample Networks"));
    setObjectName("sampleWizard");
    addPage(new SampleAnchorsPage(this));
    addPage(new SampleSettingsPage(this));
    addPage(new SampleRunPage(this));
    resize(720, 520);
}

QString SampleWizard::anchorExpression() const
{
    if (mFromSelection->isChecked())
        return QString::fromStdString(selectionExpression(*mContext.zoo, mContext.selected));
    return mFilter->text().trimmed();
}

std::vector<int64_t> SampleWizard::anchors(QString *problem) const
{
    std::vector<int64_t> anchors;
    if (mFromSelection->isChecked()) {
        anchors = mContext.selected;
    } else {
        std::vector<int64_t> all(size_t(mContext.zoo->checkpointCount()));
        std::iota(all.begin(), all.end(), int64_t(0));
        try {
            const std::vector<bool> matches = filterMask(*mContext.zoo, all, mFilter->text().trimmed().toStdString());
            for (size_t i = 0; i < matches.size(); ++i)
                if (matches[i])
                    anchors.push_back(int64_t(i));
        } catch (const Error &error) {
            *problem = QString::fromStdString(error.what());
            return {};
        }
    }
    if (anchors.empty()) {
        *problem = tr("No checkpoint matches: select points on the map (Shift+drag) or widen the expression.");
        return {};
    }
    for (const char *column : {"dataset", "activation"}) {
        std::string mix;
        sharedValue(*mContext.zoo, anchors, column, &mix);
        if (!mix.empty()) {
            *problem = QString::fromStdString(mix);
            return {};
        }
    }
    return anchors;
}

void SampleWizard::describeAnchors()
{
    QString problem;
    const std::vector<int64_t> chosen = anchors(&problem);
    if (!problem.isEmpty()) {
        mAnchorSummary->setText(problem);
        mAnchorSummary->setStyleSheet("color: #b00020;");
        return;
    }
    mAnchorSummary->setStyleSheet({});
    mDataset = QString::fromStdString(mContext.zoo->checkpointValue(chosen.front(), "dataset"));
    const Column accuracy = mContext.zoo->checkpointColumn("test_acc");
    double sum = 0, low = 1e300, high = -1e300;
    for (int64_t c : chosen) {
        sum += accuracy.number(c);
        low = std::min(low, accuracy.number(c));
        high = std::max(high, accuracy.number(c));
    }
    mAnchorSummary->setText(tr("%n anchor(s): %1, %2; test accuracy %3 on average (%4 to %5)", nullptr, int(chosen.size()))
                                .arg(mDataset, QString::fromStdString(mContext.zoo->checkpointValue(chosen.front(), "activation")))
                                .arg(sum / double(chosen.size()), 0, 'f', 3)
                                .arg(low, 0, 'f', 3)
                                .arg(high, 0, 'f', 3));
}

SampleOptions SampleWizard::options() const
{
    SampleOptions options;
    options.encoderPath = mContext.encoderPath.toStdString();
    options.zooPath = mContext.zooPath.toStdString();
    options.anchors = anchorExpression().toStdString();
    options.output = mOutput->text().trimmed().toStdString();
    options.count = mCount->value();
    options.keep = mKeep->value();
    options.bandwidth = mBandwidth->value();
    options.seed = mSeed->value();
    options.finetuneEpochs = mFinetune->value();
    options.bnConditionIterations = mBnCondition->value();
    options.embed.device = mDevice->currentText().toStdString();
    options.embed.precision = mPrecision->currentText().toStdString();
    return options;
}

QString SampleWizard::pageError() const { return currentPageError(*this); }

Runner SampleWizard::runner() const { return mRunner ? mRunner->runner() : defaultRunner(); }

} // namespace wse
