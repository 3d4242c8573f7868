#pragma once
// A map layout (t-SNE, UMAP) computed by `wse project` in a child process: for maps large enough
// that the layout takes minutes and much memory, so that running out of memory or being killed
// takes down that process, not the explorer and its session. The map's input goes to the child as
// a file (its features as embeddings, or the zoo's raw weights read there), and the projection with
// its quality comes back in a scratch workspace. No frames to animate: progress and Cancel as any job.
#include "analysis/weightmap.h"
#include "document/projectionjob.h"

#include <QString>

#include <memory>

class QTemporaryDir;

namespace wse {

class ProcessTask;
class Zoo;

// Layouts of maps with more points than this run in a child process (a user setting; 0: always).
int childLayoutPoints();
void setChildLayoutPoints(int points);

class ChildProjectionJob : public LayoutJob
{
    Q_OBJECT

public:
    ChildProjectionJob(const Zoo &zoo, const QString &zooPath, const WeightMap &map, ProjectionSettings settings,
                       QObject *parent = nullptr);
    ~ChildProjectionJob() override; // a running child is stopped
    // The zoo and the map are read here, not kept.

    void start() override;
    void cancel() override;
    bool isRunning() const override;

private:
    // Writes the map's input for the child; returns its input arguments.
    QStringList writeInput(const Zoo &zoo, const QString &zooPath, const WeightMap &map);
    void readResult();

    ProjectionSettings mSettings;
    std::vector<int64_t> mCheckpoints; // the map's points, as the child must return them
    std::unique_ptr<QTemporaryDir> mScratch;
    QStringList mArguments;
    QString mInputError; // writing the input failed: start() reports it
    ProcessTask *mTask = nullptr;
};

} // namespace wse
