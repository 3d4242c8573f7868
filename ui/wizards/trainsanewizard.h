#pragma once
// The Train SANE wizard: the zoo, a preset and every setting of the encoder (the keys of a run's
// config.json, checked against the zoo on the page: a window longer than the token sequence, say),
// then device, precision and the run folder. The job runs in the job centre with live loss curves;
// when it finishes the explorer embeds the zoo with the new encoder and shows its SANE map.
#include "jobs/runner.h"
#include "sane/saneconfig.h"

#include <QMap>
#include <QWizard>

class QComboBox;
class QLabel;
class QLineEdit;

namespace wse {

class RunnerChoice;

class TrainSaneWizard : public QWizard
{
    Q_OBJECT

public:
    explicit TrainSaneWizard(const QString &zooPath, QWidget *parent = nullptr);

    // The configuration the fields describe; throws UsageError naming a bad field.
    SaneConfig config() const;
    QString zooPath() const;
    QString runDir() const;
    QString device() const;
    QString precision() const;
    Runner runner() const; // where the job runs
    QString pageError() const;

private:
    friend class SaneEncoderPage;
    friend class SaneRunPage;
    void fillFromPreset();

    RunnerChoice *mRunner = nullptr;
    QLineEdit *mZoo = nullptr, *mRunDir = nullptr;
    QComboBox *mPreset = nullptr, *mDevice = nullptr, *mPrecision = nullptr;
    QMap<QString, QLineEdit *> mSettings; // config.json key -> its value as JSON text
    QLabel *mSummary = nullptr;
};

} // namespace wse
