#include "wizards/trainsanewizard.h"

#include "common/error.h"
#include "wizards/pageerror.h"
#include "jobs/runnerchoice.h"
#include "wizards/runfields.h"
#include "common/numbertext.h"
#include "sane/sanedata.h"
#include "formats/fileformat.h"
#include "preferences/filedialogs.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <nlohmann/json.hpp>

namespace wse {

namespace {

// The settings a user tunes, in the order the issue lists them; the rest stay as the preset has them.
const char *const Tuned[] = {"token_size", "d_model", "layers", "heads", "latent", "window_size", "gamma", "temperature",
                             "noise", "permute_view", "align", "dropout", "epochs", "batch_size", "lr", "wd", "split", "seed"};

} // namespace

// Page 1: the zoo and the encoder's settings, checked against the zoo's token sequence.
class SaneEncoderPage : public QWizardPage
{
public:
    explicit SaneEncoderPage(TrainSaneWizard *w) : wizard(w)
    {
        setTitle(tr("Encoder"));
        setSubTitle(tr("A preset fills every setting; change any of them (values as in the run's config.json)."));
        w->mZoo = new QLineEdit;
        w->mZoo->setObjectName("zoo");
        auto *browse = new QPushButton(tr("Browse..."));
        connect(browse, &QPushButton::clicked, this, [w] {
            const QString path = chooseFileToOpen(w, tr("Zoo"), {FileKind::Zoo}, w->mZoo->text());
            if (!path.isEmpty())
                w->mZoo->setText(path);
        });
        w->mPreset = new QComboBox;
        w->mPreset->setObjectName("preset");
        for (const std::string &name : SaneConfig::presetNames())
            w->mPreset->addItem(QString::fromStdString(name));
        w->mPreset->setCurrentText("small");
        auto *form = new QFormLayout(this);
        form->addRow(tr("Zoo:"), pathRow(w->mZoo, browse));
        form->addRow(tr("Preset:"), w->mPreset);
        auto *grid = new QGridLayout;
        int index = 0;
        for (const char *key : Tuned) {
            auto *edit = new QLineEdit;
            edit->setObjectName(key);
            w->mSettings.insert(key, edit);
            grid->addWidget(new QLabel(QString(key) + ":"), index / 2, (index % 2) * 2);
            grid->addWidget(edit, index / 2, (index % 2) * 2 + 1);
            ++index;
            connect(edit, &QLineEdit::textEdited, this, [this] { mError->clear(); });
        }
        form->addRow(grid);
        mError = pageErrorLabel();
        form->addRow(mError);
        connect(w->mPreset, &QComboBox::currentTextChanged, this, [w] { w->fillFromPreset(); });
        w->fillFromPreset();
    }

    bool validatePage() override
    {
        return pageCheckPasses(mError, [this] {
            SaneConfig config = wizard->config();
            if (!QFileInfo::exists(wizard->zooPath()))
                throw UsageError("no zoo file at '" + wizard->zooPath().toStdString() + "'");
            // The zoo's token sequence against the window (and the zoo has models to split); this
            // also sizes the position tables, as training will.
            const std::string zoo = wizard->zooPath().toStdString();
            runOffGuiThread(wizard, [&] { loadSaneZooData(zoo, config, nullptr); });
            config.validate();
            wizard->mSummary->setText(tr("%1 parameters; %2 tokens of size %3 per checkpoint window")
                                          .arg(QString::fromStdString(withThousands(config.parameterCount())))
                                          .arg(config.windowSize)
                                          .arg(config.tokenSize));
        });
    }

    QLabel *mError = nullptr;

private:
    TrainSaneWizard *wizard;
};

// Page 2: where it runs and where it goes.
class SaneRunPage : public QWizardPage
{
public:
    explicit SaneRunPage(TrainSaneWizard *w) : wizard(w)
    {
        setTitle(tr("Training run"));
        setSubTitle(tr("Models are split into train/validation/test by model. Checkpoints and the loss log are written "
                       "to the run folder; a cancelled run resumes from its last finished epoch."));
        w->mDevice = deviceBox();
        w->mPrecision = precisionBox();
        w->mRunDir = new QLineEdit;
        w->mRunDir->setObjectName("runDir");
        auto *browse = new QPushButton(tr("Browse..."));
        connect(browse, &QPushButton::clicked, this, [w] {
            const QString path = chooseFolder(w, tr("Run folder"), QString::fromStdString(fileFormat(FileKind::SaneRun).id), w->mRunDir->text());
            if (!path.isEmpty())
                w->mRunDir->setText(path);
        });
        w->mSummary = new QLabel;
        w->mSummary->setObjectName("summary");
        auto *form = new QFormLayout(this);
        w->mRunner = runnerChoice();
        form->addRow(tr("Runs on:"), w->mRunner);
        form->addRow(tr("Device:"), w->mDevice);
        form->addRow(tr("Precision:"), w->mPrecision);
        form->addRow(tr("Run folder:"), pathRow(w->mRunDir, browse));
        form->addRow(w->mSummary);
        mError = pageErrorLabel();
        form->addRow(mError);
    }

    void initializePage() override
    {
        if (wizard->mRunDir->text().isEmpty()) // beside the zoo: ZOO-sane-PRESET
            wizard->mRunDir->setText(QFileInfo(wizard->zooPath()).absolutePath() + "/" + QFileInfo(wizard->zooPath()).completeBaseName() +
                                     "-sane-" + wizard->mPreset->currentText());
    }

    bool validatePage() override
    {
        const QFileInfo run(wizard->runDir());
        QString problem;
        if (const QString refusal = deviceRefusal(wizard->runner(), wizard->device()); !refusal.isEmpty())
            problem = refusal;
        else if (wizard->runDir().trimmed().isEmpty())
            problem = tr("Choose the run folder.");
        else if (!run.absoluteDir().exists())
            problem = tr("The folder %1 does not exist.").arg(run.absolutePath());
        mError->setText(problem);
        return problem.isEmpty();
    }

    QLabel *mError = nullptr;

private:
    TrainSaneWizard *wizard;
};

TrainSaneWizard::TrainSaneWizard(const QString &zooPath, QWidget *parent) : QWizard(parent)
{
    setWindowTitle(tr("Train SANE"));
    setObjectName("trainSaneWizard");
    addPage(new SaneEncoderPage(this));
    addPage(new SaneRunPage(this));
    mZoo->setText(zooPath);
    resize(720, 600);
}

void TrainSaneWizard::fillFromPreset()
{
    const nlohmann::json values = nlohmann::json::parse(SaneConfig::preset(mPreset->currentText().toStdString()).toJson());
    for (auto it = mSettings.begin(); it != mSettings.end(); ++it)
        it.value()->setText(QString::fromStdString(values.at(it.key().toStdString()).dump()));
}

SaneConfig TrainSaneWizard::config() const
{
    SaneConfig config = SaneConfig::preset(mPreset->currentText().toStdString());
    for (auto it = mSettings.begin(); it != mSettings.end(); ++it)
        config.set(it.key().toStdString(), it.value()->text().trimmed().toStdString());
    return config;
}

QString TrainSaneWizard::zooPath() const { return mZoo->text(); }
QString TrainSaneWizard::runDir() const { return mRunDir->text(); }
QString TrainSaneWizard::device() const { return mDevice->currentText(); }

Runner TrainSaneWizard::runner() const { return mRunner ? mRunner->runner() : defaultRunner(); }
QString TrainSaneWizard::precision() const { return mPrecision->currentText(); }

QString TrainSaneWizard::pageError() const { return currentPageError(*this); }

} // namespace wse
