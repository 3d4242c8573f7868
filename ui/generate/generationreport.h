#pragma once
// The report of generated networks (sampling or decoding): accuracies and the provenance table,
// in a fixed-width font so the table's columns line up, with a button that colours the generated
// networks on the map by their distance to the nearest zoo checkpoint.
#include <QDialog>

namespace wse {

class GenerationController;

class GenerationReport : public QDialog
{
    Q_OBJECT

public:
    GenerationReport(const QString &report, GenerationController &generation, QWidget *parent = nullptr);

    // The part before the provenance table (for places with room for a few lines).
    static QString summaryOf(const QString &report);
};

} // namespace wse
