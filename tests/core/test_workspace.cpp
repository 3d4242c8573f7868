// A workspace refers to its zoo's checkpoints by index: opened with a zoo, every index it holds must
// be one of that zoo's checkpoints, or it is refused with the item named (never used to index).
#include "common/fixtures.h"

#include "common/error.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <QtTest>

using namespace wse;

class TestWorkspace : public QObject
{
    Q_OBJECT

    static std::string refusal(const Workspace &workspace, const Zoo &zoo)
    {
        try {
            workspace.requireFits(zoo, "ws.h5");
        } catch (const FormatError &error) {
            return error.what();
        }
        return "(accepted)";
    }

private Q_SLOTS:
    void indicesBeyondTheZooAreRefusedWithTheItemNamed()
    {
        const Zoo zoo = test::makeSyntheticZoo(2, 2, 2);
        const int64_t count = zoo.checkpointCount();
        Workspace workspace;
        workspace.selections.push_back({"picked", {0, count - 1}});
        Embeddings fromFiles;
        fromFiles.rows.appendRow({{"checkpoint", -1}}); // a .pt file embedded beside the zoo
        workspace.embeddings.push_back(fromFiles);
        QCOMPARE(QString::fromStdString(refusal(workspace, zoo)), QStringLiteral("(accepted)"));

        workspace.selections.push_back({"other zoo", {2, count}});
        QCOMPARE(QString::fromStdString(refusal(workspace, zoo)),
                 QStringLiteral("ws.h5: /selections/1 (other zoo): checkpoint %1 is not one of the zoo's %1 checkpoints "
                                "(a workspace of another zoo?)").arg(count));
        workspace.selections.pop_back();
        workspace.labels.push_back({"good", {-1}});
        QVERIFY(QString::fromStdString(refusal(workspace, zoo)).contains("/labels/0 (good): checkpoint -1"));
        workspace.labels.clear();
        WorkspaceMap map;
        map.name = "pca";
        map.checkpoints = {count + 5};
        workspace.maps.push_back(map);
        QVERIFY(QString::fromStdString(refusal(workspace, zoo)).contains("/maps/0 (pca): checkpoint"));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "test_workspace.moc"
