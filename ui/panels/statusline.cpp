#include "panels/statusline.h"

#include "document/explorerdocument.h"
#include "document/zoodocument.h"

#include "torchutil/device.h"

#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace wse {

namespace {

QString layoutName(ProjectionMethod method)
{
    switch (method) {
    case ProjectionMethod::Pca: return QStringLiteral("PCA");
    case ProjectionMethod::Tsne: return QStringLiteral("t-SNE");
    case ProjectionMethod::Umap: return QStringLiteral("UMAP");
    }
    return {};
}

// "UMAP of weights", "PCA of SANE embeddings (PC1 41.0% · PC2 12.3% · PC3 5.1% of variance)".
QString mapDescription(const ExplorerDocument &document)
{
    QString source = QString::fromStdString(mapSourceDescription(document.view().map));
    if (source.size() > 1 && source[1].isLower()) // "Weights" -> "weights", "SANE ..." stays
        source[0] = source[0].toLower();
    QString description = QObject::tr("%1 of %2").arg(layoutName(document.view().layout), source);
    if (document.view().layout == ProjectionMethod::Pca) {
        const std::vector<double> &ratio = document.shownMap().pca.explainedRatio;
        QString variance;
        for (size_t i = 0; i < ratio.size(); ++i)
            variance += QStringLiteral("%1PC%2 %3%").arg(i ? " · " : "").arg(i + 1).arg(ratio[i] * 100.0, 0, 'f', 1);
        description += QObject::tr(" (%1 of variance)").arg(variance);
    }
    return description;
}

} // namespace

StatusLine::StatusLine(QStatusBar *bar, ExplorerDocument &document) : QObject(bar), mDocument(document)
{
    mCounts = new QLabel(tr("No zoo open"), bar);
    bar->addWidget(mCounts, 1);
    mBusy = new QProgressBar(bar);
    mBusy->setRange(0, 0);
    mBusy->setMaximumWidth(260);
    mBusy->setTextVisible(true);
    mBusy->hide();
    bar->addPermanentWidget(mBusy);
    useAllCores(); // as every torch job does: the label tells the threads they get
    auto *device = new QLabel(tr("torch: %1").arg(QString::fromStdString(describeDevice(resolveDevice("auto")))), bar);
    device->setToolTip(tr("Where embedding, sampling and training run when their device is \"auto\""));
    bar->addPermanentWidget(device);
    mCancel = new QPushButton(tr("Cancel"), bar);
    mCancel->setObjectName("cancelLayout");
    mCancel->hide();
    bar->addPermanentWidget(mCancel);
    connect(mCancel, &QPushButton::clicked, this, &StatusLine::cancelRequested);
    connect(&document, &ExplorerDocument::changed, this, &StatusLine::react);
}

void StatusLine::react(const ChangeEvent &event)
{
    using Type = ChangeEvent::Type;
    if (event.type == Type::Opened)
        mBusy->hide();
    if (event.type == Type::Map || event.type == Type::Layout || event.type == Type::Selection)
        showSummary();
}

void StatusLine::showSummary()
{
    const ZooDocument *zoo = mDocument.zoo();
    if (!zoo)
        return;
    const size_t selected = mDocument.selectedPoints().size();
    mCounts->setText(tr("%1 models · %2 checkpoints%3 · map: %4")
                         .arg(zoo->zoo().modelCount())
                         .arg(zoo->zoo().checkpointCount())
                         .arg(selected ? tr(" · %1 selected").arg(selected) : QString(), mapDescription(mDocument)));
}

QString StatusLine::summary() const
{
    return mCounts->text();
}

void StatusLine::showOpening(const QString &file)
{
    mCounts->setText(tr("Opening %1 ...").arg(QFileInfo(file).fileName()));
    mBusy->setRange(0, 0);
    mBusy->show();
}

void StatusLine::showOpenFailed(const QString &file)
{
    mBusy->hide();
    mCounts->setText(tr("Could not open %1").arg(file));
}

void StatusLine::showBackgroundWork(bool running)
{
    mBusy->setRange(0, 100);
    mBusy->setValue(0);
    mBusy->setVisible(running);
    mCancel->setVisible(running);
}

void StatusLine::showBackgroundProgress(int percent, const QString &stage)
{
    mBusy->setValue(percent);
    mBusy->setFormat(QStringLiteral("%1 %p%").arg(stage.section(QLatin1Char(':'), 0, 0)));
    mBusy->setToolTip(stage);
}

} // namespace wse
