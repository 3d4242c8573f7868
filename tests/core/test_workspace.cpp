// Workspaces: everything a user made round-trips through the file (embeddings, maps that still
// place new points, selections, bookmarks, generated networks); a newer schema is refused; the zoo
// is found, changed or missing by its content hash; and opened with a zoo, every checkpoint index a
// workspace holds must be one of that zoo's checkpoints, or it is refused with the item named.
#include "common/fixtures.h"
#include "mapfixtures.h"

#include "common/error.h"
#include "common/text.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <H5Cpp.h>

#include <fstream>

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
    void workspaceRoundTrip()
    {
        QTemporaryDir dir;
        const std::string zooPath = (dir.path() + "/zoo.h5").toStdString();
        std::ofstream(zooPath) << "pretend zoo bytes";
        Workspace w = Workspace::forZoo(zooPath);
        QCOMPARE(w.zoo.check(), ZooReference::Status::Found);

        const test::Clusters c = test::makeClusters(2, 20, 4, 13);
        Embeddings e;
        e.encoderId = "abc123";
        e.source = zooPath;
        e.mode = "full";
        e.dims = c.dims;
        e.values = c.values;
        for (int64_t i = 0; i < c.points; ++i)
            e.rows.appendRow({{"checkpoint", double(i)}, {"model_id", "m" + std::to_string(i)}, {"epoch", 1.0}, {"split", "train"}});
        w.putEmbeddings(e);
        WorkspaceMap map;
        map.name = "umap / first";
        map.input = "sane:abc123";
        map.projection = computeProjection(c.values.data(), c.points, c.dims, test::quickSettings(ProjectionMethod::Umap, 2));
        for (int64_t i = 0; i < c.points; ++i)
            map.checkpoints.push_back(i);
        map.created = currentTimeIso();
        w.putMap(map);
        WorkspaceMap pca = map;
        pca.name = "pca";
        pca.projection = computeProjection(c.values.data(), c.points, c.dims, test::quickSettings(ProjectionMethod::Pca, 3));
        w.putMap(pca);
        w.selections.push_back({"good ones", {1, 5, 7}});
        w.bookmarks.push_back({"overview", R"({"camera": [0, 0, 10], "colour": "test_acc"})"});
        WorkspaceGenerated g;
        g.name = "samples";
        g.kind = "sampled";
        g.zooPath = "/tmp/samples.h5";
        g.provenanceJson = R"({"anchors": "test_acc > 0.5"})";
        g.evaluations.appendRow({{"model_id", "sample-0"}, {"test_acc", 0.5}});
        g.encoderId = "abc123";
        g.latentDims = 2;
        g.latents = {1.0f, 2.0f};
        w.generated.push_back(g);

        const std::string path = (dir.path() + "/ws.h5").toStdString();
        w.write(path);
        w.writeRecoveryCopy(path);
        QVERIFY(QFile::exists(QString::fromStdString(Workspace::recoveryPath(path))));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 3); // zoo, workspace, recovery: no temporaries left
        const Workspace r = Workspace::read(path);
        QCOMPARE(r.zoo.contentHash, w.zoo.contentHash);
        QCOMPARE(r.embeddings.size(), size_t(1));
        QCOMPARE(r.embeddings[0].values, c.values);
        QCOMPARE(r.maps.size(), size_t(2));
        QCOMPARE(r.map("umap / first")->projection.coordinates, map.projection.coordinates);
        QCOMPARE(r.map("umap / first")->projection.settings.toJson(), map.projection.settings.toJson());
        QCOMPARE(r.map("umap / first")->projection.quality.trustworthiness, map.projection.quality.trustworthiness);
        QCOMPARE(r.map("pca")->projection.pcaAxes, pca.projection.pcaAxes);
        QCOMPARE(r.selections[0].checkpoints, (std::vector<int64_t>{1, 5, 7}));
        QCOMPARE(r.bookmarks[0].stateJson, w.bookmarks[0].stateJson);
        QCOMPARE(r.generated[0].latents, g.latents);
        QCOMPARE(r.generated[0].evaluations.get("test_acc").number(0), 0.5);
        QVERIFY(r.describe().find("umap / first: UMAP 2D") != std::string::npos);

        // A placed point from the re-read PCA map equals one from the original.
        const float probe[4] = {0.5f, -1.0f, 2.0f, 0.0f};
        QCOMPARE(placeNewPoints(r.maps[1].projection, c.values.data(), probe, 1),
                 placeNewPoints(pca.projection, c.values.data(), probe, 1));

        std::ofstream(zooPath) << "other bytes";
        QCOMPARE(r.zoo.check(), ZooReference::Status::Changed);
        QFile::remove(QString::fromStdString(zooPath));
        QCOMPARE(r.zoo.check(), ZooReference::Status::Missing);

        // A workspace from a newer schema is refused with a message naming the file and versions.
        {
            H5::H5File file(path, H5F_ACC_RDWR);
            H5::Attribute version = file.openAttribute("format_version");
            const long long newer = Workspace::FormatVersion + 1;
            version.write(H5::PredType::NATIVE_LLONG, &newer);
        }
        try {
            Workspace::read(path);
            QFAIL("a newer workspace was read");
        } catch (const FormatError &error) {
            const std::string message = error.what();
            QVERIFY2(message.find(path) != std::string::npos && message.find("newer") != std::string::npos, error.what());
        }
        std::ofstream(dir.path().toStdString() + "/not.h5") << "text";
        QVERIFY_THROWS_EXCEPTION(FormatError, Workspace::read(dir.path().toStdString() + "/not.h5"));
    }

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
