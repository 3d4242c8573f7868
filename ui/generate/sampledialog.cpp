#include "generate/sampledialog.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace wse {

bool askSampleSettings(QWidget *parent, const QString &anchors, SampleOptions &options)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Sample Networks"));
    auto *form = new QFormLayout(&dialog);
    auto *about = new QLabel(QObject::tr("Anchors: %1.\nEach sample is an anchor's latent tokens plus Gaussian noise, decoded "
                                         "into a network and evaluated; the best on validation data are kept.")
                                 .arg(anchors),
                             &dialog);
    about->setWordWrap(true);
    form->addRow(about);
    auto *count = new QSpinBox(&dialog);
    count->setRange(1, 10000);
    count->setValue(int(options.count));
    form->addRow(QObject::tr("Networks to draw:"), count);
    auto *keep = new QSpinBox(&dialog);
    keep->setRange(1, 10000);
    keep->setValue(int(options.keep));
    form->addRow(QObject::tr("Keep the best:"), keep);
    auto *bandwidth = new QDoubleSpinBox(&dialog);
    bandwidth->setRange(0.0, 10.0);
    bandwidth->setDecimals(3);
    bandwidth->setSingleStep(0.05);
    bandwidth->setValue(options.bandwidth);
    form->addRow(QObject::tr("Latent bandwidth:"), bandwidth);
    auto *seed = new QSpinBox(&dialog);
    seed->setRange(0, 1 << 30);
    seed->setValue(int(options.seed));
    form->addRow(QObject::tr("Seed:"), seed);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    options.count = count->value();
    options.keep = std::min(keep->value(), count->value());
    options.bandwidth = bandwidth->value();
    options.seed = seed->value();
    return true;
}

} // namespace wse
