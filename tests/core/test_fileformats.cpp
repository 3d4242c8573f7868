// The format registry: every kind of file is recognised by its content whatever its name, a file
// of the wrong kind is refused by saying what it is, and the dialog filters come from one place.
#include "common/fixtures.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "formats/fileformat.h"
#include "sane/embeddings.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sys/stat.h>

using namespace wse;

class TestFileFormats : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    std::string path(const char *name) const { return mDir.filePath(name).toStdString(); }

    std::string message(const std::function<void()> &run)
    {
        try {
            run();
        } catch (const Error &error) {
            return error.what();
        }
        return "(no error)";
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Names that say nothing: the kind must come from the content.
        ZooStore::write(test::makeSyntheticZoo(2, 2, 2), path("zoo.dat"));
        Workspace workspace = Workspace::forZoo(path("zoo.dat"));
        workspace.write(path("workspace.bin"));
        Embeddings embeddings;
        embeddings.encoderId = "e";
        embeddings.dims = 1;
        embeddings.rows.appendRow({{"checkpoint", 0}});
        embeddings.values = {1.0f};
        embeddings.write(path("embeddings.h5"));
        const float weights[2] = {1.0f, 2.0f};
        StateDict checkpoint;
        checkpoint.entries = {{"fc.weight", TensorBuffer::fromFloat({2}, weights)}};
        writeCheckpoint(path("model.bin"), checkpoint);
        checkpoint.texts = {{"wse_format", "weight-space-explorer sane encoder 1"}};
        writeCheckpoint(path("encoder.file"), checkpoint);
        std::ofstream(path("notes.h5")) << "plain text\n";
        QDir(mDir.path()).mkpath("run/checkpoint_1");
        std::ofstream(path("run/log.json")) << "[]";
        QDir(mDir.path()).mkpath("official/model_0");
        std::ofstream(path("official/model_0/params.json")) << "{}";
        QDir(mDir.path()).mkpath("empty");
        QCOMPARE(mkfifo(path("pipe").c_str(), 0600), 0);
    }

    void detectsEachKindByContent()
    {
        QCOMPARE(detectFileKind(path("zoo.dat")), FileKind::Zoo);
        QCOMPARE(detectFileKind(path("workspace.bin")), FileKind::Workspace);
        QCOMPARE(detectFileKind(path("embeddings.h5")), FileKind::Embeddings);
        QCOMPARE(detectFileKind(path("model.bin")), FileKind::Checkpoint);
        QCOMPARE(detectFileKind(path("encoder.file")), FileKind::Encoder);
        QCOMPARE(detectFileKind(path("run")), FileKind::SaneRun);
        QCOMPARE(detectFileKind(path("official")), FileKind::OfficialZoo);
        QCOMPARE(detectFileKind(path("empty")), FileKind::Unknown);
        QCOMPARE(detectFileKind(path("notes.h5")), FileKind::Unknown);
        QCOMPARE(detectFileKind(path("nothing-here")), FileKind::Unknown);
        QCOMPARE(detectFileKind(path("pipe")), FileKind::Unknown); // never opened: it would block
        QVERIFY(ZooStore::isZooFile(path("zoo.dat")));
        QVERIFY(!ZooStore::isZooFile(path("workspace.bin")));
        QVERIFY(Workspace::isWorkspaceFile(path("workspace.bin")));
    }

    void theWrongKindIsNamed()
    {
        QCOMPARE(requireFileKind(path("zoo.dat"), {FileKind::Zoo, FileKind::Workspace}), FileKind::Zoo);
        const std::string workspaceAsZoo = message([&] { ZooStore::read(path("workspace.bin")); });
        QVERIFY2(workspaceAsZoo.find("workspace.bin: is a workspace, not a zoo") != std::string::npos, workspaceAsZoo.c_str());
        const std::string zooAsEmbeddings = message([&] { Embeddings::read(path("zoo.dat")); });
        QVERIFY2(zooAsEmbeddings.find("is a zoo, not an embeddings file") != std::string::npos, zooAsEmbeddings.c_str());
        const std::string text = message([&] { requireFileKind(path("notes.h5"), {FileKind::Zoo, FileKind::Workspace}); });
        QVERIFY2(text.find("notes.h5: is not a zoo or a workspace") != std::string::npos, text.c_str());
        const std::string encoder = message([&] { requireFileKind(path("encoder.file"), {FileKind::Checkpoint}); });
        QVERIFY2(encoder.find("is a SANE encoder, not a PyTorch checkpoint") != std::string::npos, encoder.c_str());
    }

    void dialogFiltersComeFromTheRegistry()
    {
        QCOMPARE(QString::fromStdString(dialogFilter({FileKind::Zoo, FileKind::Workspace})),
                 QStringLiteral("Zoos and workspaces (*.h5 *.hdf5);;Zoos (*.h5 *.hdf5);;Workspaces (*.h5 *.hdf5);;All files (*)"));
        QCOMPARE(QString::fromStdString(dialogFilter({FileKind::Encoder})), QStringLiteral("SANE encoders (*.pt);;All files (*)"));
        QVERIFY(fileFormat(FileKind::Zoo).hasExtension("/a/B.HDF5"));
        QVERIFY(!fileFormat(FileKind::Zoo).hasExtension("/a/h5"));
        for (const FileFormat &format : fileFormats())
            QCOMPARE(fileKindFromId(format.id), format.kind);
    }
};

QTEST_GUILESS_MAIN(TestFileFormats)
#include "test_fileformats.moc"
