#pragma once
// The explorer's Map menu: embed the zoo with a SANE encoder (a job in the job centre, on the
// device chosen, then the SANE map opens), the parameters of the t-SNE and UMAP layouts and the
// layouts computed so far. It acts on the explorer's document and its layouts, not on the window.
#include "jobs/runner.h"
#include "analysis/projection.h"

#include <QObject>
#include <QString>

#include <functional>

class QMainWindow;

namespace wse {

class ExplorerDocument;
class JobCentre;
class LayoutController;

class MapActions : public QObject
{
    Q_OBJECT

public:
    // `jobs`: the job centre that runs embeddings (made after the menus).
    MapActions(QMainWindow *window, ExplorerDocument &document, LayoutController &layouts, std::function<JobCentre *()> jobs);

    // Starts embedding the open zoo with the encoder; false with the reason (no zoo, no encoder file).
    bool embedOpenZoo(const QString &encoderPath, const QString &device, const QString &precision, QString *error,
                      const Runner &runner = defaultRunner());
    // Sets layout parameters by their scikit-learn / umap-learn names ("perplexity=50 seed=3") for
    // the shown layout's method and recomputes it; false with the reason for an unknown key or value.
    bool setLayoutParameters(const QString &assignments, QString *error);
    // Shows a layout with these parameters (kept from before, or computed): Map > Computed Layouts.
    void showLayoutVariant(const ProjectionSettings &settings);

private:
    void addMenu();
    void askEmbedding();
    void askLayoutParameters();

    QMainWindow *mWindow;
    ExplorerDocument &mDocument;
    LayoutController &mLayouts;
    std::function<JobCentre *()> mJobs;
};

} // namespace wse
