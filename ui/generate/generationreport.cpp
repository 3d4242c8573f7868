#include "generate/generationreport.h"

#include "generate/generationcontroller.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace wse {

namespace {
const QString ProvenanceStart = QStringLiteral("provenance: ");
}

GenerationReport::GenerationReport(const QString &report, GenerationController &generation, QWidget *parent)
    : QDialog(parent)
{
    setObjectName("generationReport");
    setWindowTitle(tr("Generated Networks"));
    auto *text = new QPlainTextEdit(report.trimmed());
    text->setObjectName("generationReportText");
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const QFontMetrics metrics(text->font());
    text->setMinimumSize(std::min(metrics.horizontalAdvance(QString(124, 'x')), 1100), std::min(metrics.lineSpacing() * 26, 640));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    if (report.contains(ProvenanceStart)) {
        QPushButton *colour = buttons->addButton(tr("Colour by Nearest-Checkpoint Ratio"), QDialogButtonBox::ActionRole);
        colour->setObjectName("colourByProvenance");
        colour->setToolTip(generation.colouringLegend());
        connect(colour, &QPushButton::clicked, this, [&generation, colour] {
            generation.setColouring("nearest_ratio");
            colour->setToolTip(generation.colouringLegend());
        });
    }
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
}

QString GenerationReport::summaryOf(const QString &report)
{
    const qsizetype start = report.indexOf(ProvenanceStart);
    if (start < 0)
        return report;
    return report.left(start).trimmed() + "\n" + tr("(each network's provenance: in the Generated Networks report and "
                                                    "the samples' zoo columns)");
}

} // namespace wse
