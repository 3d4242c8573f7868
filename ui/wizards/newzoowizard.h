#pragma once
// The New Zoo wizard: dataset (checked on the page), architecture and variation axes (grid or
// random search), epochs, checkpoint schedule, device and output — with a live count of models,
// checkpoints and disk size, and a time estimate from a short timed probe on the chosen device.
#include "training/zootrainoptions.h"

#include "jobs/runner.h"

#include <QWizard>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace wse {

class RunnerChoice;

class NewZooWizard : public QWizard
{
    Q_OBJECT

public:
    explicit NewZooWizard(QWidget *parent = nullptr);

    // The options the pages describe (expandModels() may still refuse them: see pageError()).
    ZooTrainOptions options() const;
    QString outputPath() const;
    Runner runner() const; // where the job runs
    // The message shown on the current page when it refused to go on ("" when none).
    QString pageError() const;

private:
    friend class ZooDatasetPage;
    friend class ZooModelsPage;
    friend class ZooRunPage;
    void updateCount();
    void estimateTime();

    RunnerChoice *mRunner = nullptr;
    QComboBox *mDataset = nullptr, *mArchitecture = nullptr, *mSearch = nullptr, *mDevice = nullptr;
    QLineEdit *mDataRoot = nullptr, *mLearningRates = nullptr, *mWeightDecays = nullptr, *mDropouts = nullptr,
              *mBatchSizes = nullptr, *mSeeds = nullptr, *mCheckpointEpochs = nullptr, *mOutput = nullptr;
    QSpinBox *mTrainLimit = nullptr, *mTestLimit = nullptr, *mModels = nullptr, *mEpochs = nullptr, *mPopulation = nullptr;
    QListWidget *mInits = nullptr, *mActivations = nullptr, *mOptimizers = nullptr;
    QLabel *mDatasetError = nullptr, *mModelsCount = nullptr, *mRunSummary = nullptr, *mCommand = nullptr;
    QPushButton *mEstimate = nullptr;
};

} // namespace wse
