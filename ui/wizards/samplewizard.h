#pragma once
// The Sample Networks wizard: anchors (the checkpoints selected on the map, or a filter
// expression; checked on the page: at least one, one dataset and one activation), how many to
// draw and keep, the latent bandwidth, seed and fine-tuning, then device, precision and the output
// zoo. The job runs in the job centre; the networks then appear on the SANE map.
#include "jobs/runner.h"
#include "sane/sampler.h"

#include <QWizard>

#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace wse {

class RunnerChoice;
class Zoo;

struct SampleContext
{
    const Zoo *zoo = nullptr; // the open zoo (the wizard is window-modal: it outlives the wizard)
    QString zooPath, encoderPath, filter, defaultOutput;
    std::vector<int64_t> selected; // checkpoints selected on the map
};

class SampleWizard : public QWizard
{
    Q_OBJECT

public:
    SampleWizard(SampleContext context, QWidget *parent = nullptr);

    SampleOptions options() const;
    QString anchorExpression() const; // the selection as an expression, or the filter
    QString pageError() const;
    Runner runner() const; // where the job runs

private:
    friend class SampleAnchorsPage;
    friend class SampleSettingsPage;
    friend class SampleRunPage;
    // The anchors the page describes: their checkpoints; `problem` says why they cannot be used.
    std::vector<int64_t> anchors(QString *problem) const;
    void describeAnchors();

    SampleContext mContext;
    RunnerChoice *mRunner = nullptr;
    QRadioButton *mFromSelection = nullptr, *mFromFilter = nullptr;
    QLineEdit *mFilter = nullptr, *mOutput = nullptr;
    QLabel *mAnchorSummary = nullptr, *mEvaluation = nullptr, *mCommand = nullptr;
    QSpinBox *mCount = nullptr, *mKeep = nullptr, *mSeed = nullptr, *mFinetune = nullptr, *mBnCondition = nullptr;
    QDoubleSpinBox *mBandwidth = nullptr;
    QComboBox *mDevice = nullptr, *mPrecision = nullptr;
    QString mDataset; // of the anchors, for the evaluation note
};

} // namespace wse
