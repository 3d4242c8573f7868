#include "panels/mapcontrols.h"

#include "analysis/projection.h"
#include "analysis/weightmap.h"
#include "panels/legendwidget.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace wse {

MapControls::MapControls(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(new QLabel(tr("Map:"), this));
    mapBox = new QComboBox(this);
    mapBox->setObjectName("mapSource");
    for (MapSource source : {MapSource::Weights, MapSource::WeightStatistics})
        mapBox->addItem(QString::fromStdString(mapSourceDescription(source)), int(source));
    mapBox->setToolTip(tr("What is mapped. Weights: the raw flattened weights (faithful, dominated by initialisation and seed).\n"
                          "Weight statistics: z-scored mean, std and quintiles of every tensor "
                          "(insensitive to neuron permutations).\n"
                          "SANE embeddings: a SANE encoder's model embeddings (open a zoo with an encoder)."));
    layout->addWidget(mapBox);
    layout->addWidget(new QLabel(tr("Layout:"), this));
    layoutBox = new QComboBox(this);
    layoutBox->setObjectName("layoutMethod");
    layoutBox->addItem(tr("PCA"), int(ProjectionMethod::Pca));
    layoutBox->addItem(tr("t-SNE"), int(ProjectionMethod::Tsne));
    layoutBox->addItem(tr("UMAP"), int(ProjectionMethod::Umap));
    layoutBox->setToolTip(tr("PCA: linear, distances along its axes are faithful.\n"
                             "t-SNE (Barnes-Hut, perplexity 30) and UMAP (15 neighbours): non-linear, keep neighbourhoods; "
                             "computed in the background and animated while they converge (every point, no subsampling).\n"
                             "The quality line below says how faithful the shown layout is."));
    layout->addWidget(layoutBox);
    quality = new QLabel(this);
    quality->setObjectName("mapQuality");
    quality->setWordWrap(true);
    quality->setToolTip(tr("Trustworthiness: are the map's 10 nearest neighbours of a point also near it in the "
                           "input space? Continuity: do its true neighbours stay near on the map? 1 is perfect."));
    layout->addWidget(quality);
    layout->addWidget(new QLabel(tr("Colour by:"), this));
    colourBox = new QComboBox(this);
    colourBox->setObjectName("colourBy");
    layout->addWidget(colourBox);
    auto *scaleRow = new QHBoxLayout;
    scaleBox = new QComboBox(this);
    scaleBox->setObjectName("colourScale");
    scaleBox->addItem(tr("viridis"), int(ColourScale::Viridis));
    scaleBox->addItem(tr("diverging"), int(ColourScale::Diverging));
    scaleBox->setToolTip(tr("For numbers: viridis (perceptually uniform) or diverging blue-grey-red, centred on 0 for "
                            "signed values such as the generalisation gap"));
    rangeMinimum = new QLineEdit(this);
    rangeMinimum->setObjectName("rangeMinimum");
    rangeMaximum = new QLineEdit(this);
    rangeMaximum->setObjectName("rangeMaximum");
    for (QLineEdit *edit : {rangeMinimum, rangeMaximum}) {
        edit->setPlaceholderText(tr("auto"));
        edit->setToolTip(tr("The range the colour map spans (values beyond it are clamped); empty: the data's range"));
        connect(edit, &QLineEdit::editingFinished, this, &MapControls::colourOptionsChanged);
    }
    connect(scaleBox, qOverload<int>(&QComboBox::currentIndexChanged), this, &MapControls::colourOptionsChanged);
    scaleRow->addWidget(scaleBox, 2);
    scaleRow->addWidget(rangeMinimum, 1);
    scaleRow->addWidget(new QLabel(QStringLiteral("–"), this));
    scaleRow->addWidget(rangeMaximum, 1);
    layout->addLayout(scaleRow);
    auto *sizeRow = new QHBoxLayout; // label and box on one line: the panel must fit a 600-pixel window
    sizeRow->addWidget(new QLabel(tr("Size by:"), this));
    sizeBox = new QComboBox(this);
    sizeBox->setObjectName("sizeBy");
    sizeBox->setToolTip(tr("Point areas grow with a numeric column, from its smallest to its largest value "
                           "(missing values: the smallest size)"));
    sizeRow->addWidget(sizeBox, 1);
    layout->addLayout(sizeRow);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("Filter:"), this));
    filterEdit = new QLineEdit(this);
    filterEdit->setObjectName("filter");
    filterEdit->setClearButtonEnabled(true);
    filterEdit->setPlaceholderText(tr("e.g. activation == \"tanh\" && test_acc > 0.7"));
    filterEdit->setToolTip(tr("Points that do not match are drawn grey. Operators: == != < <= > >=, "
                              "epoch in [5, 10], && || !, parentheses; text in quotes; bare words are columns."));
    filterRow->addWidget(filterEdit, 1);
    layout->addLayout(filterRow);
    filterMessage = new QLabel(this);
    filterMessage->setObjectName("filterMessage");
    filterMessage->setWordWrap(true);
    filterMessage->setTextFormat(Qt::PlainText);
    layout->addWidget(filterMessage);
    legend = new LegendWidget(this);
    layout->addWidget(legend, 1);
    layout->addStretch(0); // below a numeric colouring's two lines: the dock's background, not an empty box
}

void MapControls::setColourOptions(const ColourOptions &options)
{
    {
        const QSignalBlocker scale(scaleBox), low(rangeMinimum), high(rangeMaximum);
        scaleBox->setCurrentIndex(std::max(0, scaleBox->findData(int(options.scale))));
        rangeMinimum->setText(options.fixedRange ? QString::number(options.minimum) : QString());
        rangeMaximum->setText(options.fixedRange ? QString::number(options.maximum) : QString());
    }
}

ColourOptions MapControls::colourOptions() const
{
    ColourOptions options;
    options.scale = ColourScale(scaleBox->currentData().toInt());
    bool lowOk = false, highOk = false;
    options.minimum = rangeMinimum->text().trimmed().toDouble(&lowOk);
    options.maximum = rangeMaximum->text().trimmed().toDouble(&highOk);
    options.fixedRange = lowOk && highOk && options.minimum < options.maximum;
    return options;
}

} // namespace wse
