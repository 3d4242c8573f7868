// Every file we write is replaced only once it is complete: a full disk (simulated by a file-size
// limit at many levels) leaves the existing file byte for byte as it was, is reported with the file's
// name, and crashes nothing, not even at exit. Outputs write through symbolic links, keep the replaced
// file's permissions, refuse special files, and clear temporary files that killed writers left.
#include "common/fixtures.h"

#include "checkpoint/checkpointfile.h"
#include "common/atomicfile.h"
#include "common/error.h"
#include "common/textfile.h"
#include "sane/embeddings.h"
#include "workspace/workspace.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace wse;
namespace fs = std::filesystem;

namespace {

enum ChildOutcome { Committed = 0, ReportedFailure = 10, OtherError = 20 };

std::string fileBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Embeddings makeEmbeddings(int points, int dims)
{
    Embeddings e;
    e.encoderId = "encoder-1";
    e.source = "zoo.h5";
    e.mode = "full";
    e.dims = dims;
    for (int i = 0; i < points; ++i) {
        e.rows.appendRow({{"checkpoint", double(i)}, {"model_id", "m" + std::to_string(i)}, {"epoch", 1.0}, {"split", "train"}});
        for (int d = 0; d < dims; ++d)
            e.values.push_back(float(i * dims + d) * 0.25f);
    }
    return e;
}

Workspace makeWorkspace(const std::string &zooPath, int points)
{
    Workspace w = Workspace::forZoo(zooPath);
    w.putEmbeddings(makeEmbeddings(points, 8));
    for (int i = 0; i < points / 4; ++i)
        w.labels.push_back({"label " + std::to_string(i), {int64_t(i), int64_t(i + 1)}});
    w.bookmarks.push_back({"overview", R"({"camera": [0, 0, 10], "colour": "test_acc"})"});
    return w;
}

StateDict makeStateDict(int64_t count, float scale)
{
    std::vector<float> values(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i)
        values[size_t(i)] = float(i) * scale;
    StateDict dict;
    dict.entries.push_back({"layer.weight", TensorBuffer::fromFloat({count}, values.data())});
    return dict;
}

void putBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs `write` in a child process under a file-size limit of `limit` bytes (SIGXFSZ ignored, as the
// executables do) and returns how it ended; a crash or a signal fails the test.
ChildOutcome writeUnderLimit(const std::function<void()> &write, rlim_t limit, std::string &message)
{
    int channel[2];
    if (::pipe(channel) != 0)
        qFatal("pipe failed");
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(channel[0]);
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit r{limit, RLIM_INFINITY};
        ::setrlimit(RLIMIT_FSIZE, &r);
        int outcome = Committed;
        std::string text;
        try {
            write();
        } catch (const IoError &error) {
            outcome = ReportedFailure;
            text = error.what();
        } catch (const std::exception &error) {
            outcome = OtherError;
            text = error.what();
        }
        if (!text.empty() && ::write(channel[1], text.data(), text.size()) < 0)
            outcome = OtherError;
        ::close(channel[1]);
        std::exit(outcome); // runs the libraries' exit handlers: HDF5's crashed after a failed close
    }
    ::close(channel[1]);
    char buffer[4096];
    ssize_t got;
    message.clear();
    while ((got = ::read(channel[0], buffer, sizeof buffer)) > 0)
        message.append(buffer, size_t(got));
    ::close(channel[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status))
        return OtherError;
    return ChildOutcome(WEXITSTATUS(status));
}

bool leftoverTemporaries(const QString &folder)
{
    for (const auto &entry : fs::directory_iterator(folder.toStdString()))
        if (entry.path().filename().string().find(".tmp-") != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestAtomicWrites : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Each kind of file: the old version, a function that writes a larger new version, and a reader
    // that must accept whatever ends up on disk.
    void fullDiskLeavesTheOldFile_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char *kind : {"zoo", "workspace", "embeddings", "embeddings-csv", "checkpoint", "text"})
            QTest::newRow(kind) << QString(kind);
    }

    void fullDiskLeavesTheOldFile()
    {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        const std::string zooPath = dir.filePath("zoo-for-workspace.h5").toStdString();
        ZooStore::write(test::makeSyntheticZoo(1, 1, 1), zooPath);
        std::string path;
        std::function<void(bool)> write; // false: the old version, true: the new one
        std::function<void()> read;
        if (kind == "zoo") {
            path = dir.filePath("zoo.h5").toStdString();
            write = [&](bool larger) { ZooStore::write(test::makeSyntheticZoo(larger ? 4 : 2, 3, larger ? 6 : 2), path); };
            read = [&] { ZooStore::read(path); };
        } else if (kind == "workspace") {
            path = dir.filePath("session.wse.h5").toStdString();
            write = [&](bool larger) { makeWorkspace(zooPath, larger ? 2000 : 40).write(path); };
            read = [&] { Workspace::read(path); };
        } else if (kind == "embeddings" || kind == "embeddings-csv") {
            path = dir.filePath(kind == "embeddings" ? "embeddings.h5" : "embeddings.csv").toStdString();
            write = [&](bool larger) { makeEmbeddings(larger ? 3000 : 50, 16).write(path); };
            read = [&] {
                if (kind == "embeddings")
                    Embeddings::read(path);
            };
        } else if (kind == "checkpoint") {
            path = dir.filePath("model.pt").toStdString();
            write = [&](bool larger) { writeCheckpoint(path, makeStateDict(larger ? 60000 : 100, larger ? 2.f : 1.f)); };
            read = [&] { readCheckpoint(path); };
        } else {
            path = dir.filePath("log.json").toStdString();
            write = [&](bool larger) { writeTextFile(path, std::string(larger ? 200000 : 100, larger ? 'b' : 'a')); };
            read = [] {};
        }
        write(false);
        const std::string old = fileBytes(path);
        std::string message;
        QCOMPARE(writeUnderLimit([&] { write(true); }, RLIM_INFINITY, message), Committed);
        const std::string fresh = fileBytes(path);
        QVERIFY(fresh != old);

        int failures = 0;
        const rlim_t levels = 16;
        for (rlim_t level = 0; level <= levels; ++level) {
            putBytes(path, old);
            const rlim_t limit = rlim_t(fresh.size()) * level / levels + (level == levels ? 65536 : 0);
            const ChildOutcome outcome = writeUnderLimit([&] { write(true); }, limit, message);
            const QByteArray context = QString("%1 at a limit of %2 bytes: %3").arg(kind).arg(limit).arg(QString::fromStdString(message)).toUtf8();
            QVERIFY2(outcome == Committed || outcome == ReportedFailure, context.constData());
            if (outcome == ReportedFailure) {
                ++failures;
                QVERIFY2(message.find(path) != std::string::npos, context.constData());
                QVERIFY2(message.find("left unchanged") != std::string::npos, context.constData());
                QVERIFY2(fileBytes(path) == old, context.constData());
            } else {
                QVERIFY2(fileBytes(path) != old, context.constData()); // zoos and workspaces hold their write time
            }
            read(); // whatever is there is a valid file of its kind
            QVERIFY2(!leftoverTemporaries(dir.path()), context.constData());
        }
        QVERIFY(failures >= int(levels) / 2); // the smaller limits cannot hold the new file
    }

    void writesThroughSymbolicLinksAndKeepsPermissions()
    {
        QTemporaryDir dir;
        const std::string real = dir.filePath("real.json").toStdString();
        const std::string link = dir.filePath("link.json").toStdString();
        writeTextFile(real, "old");
        ::chmod(real.c_str(), 0600);
        fs::create_symlink("real.json", link); // relative, as users make them
        writeTextFile(link, "new");
        QVERIFY(fs::is_symlink(link));
        QCOMPARE(QString::fromStdString(fileBytes(real)), QString("new"));
        struct stat status {};
        QCOMPARE(::stat(real.c_str(), &status), 0);
        QCOMPARE(int(status.st_mode & 07777), 0600);
    }

    void refusesSpecialFiles()
    {
        QTemporaryDir dir;
        const std::string fifo = dir.filePath("pipe").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        const std::pair<std::string, std::string> cases[] = {
            {"/dev/null", "a device"}, {dir.path().toStdString(), "a directory"}, {fifo, "FIFO"}};
        for (const auto &[path, kind] : cases) {
            try {
                writeTextFile(path, "x");
                QFAIL(("wrote over " + path).c_str());
            } catch (const IoError &error) {
                QVERIFY2(std::string(error.what()).find(kind) != std::string::npos, error.what());
                QVERIFY2(std::string(error.what()).find(path) != std::string::npos, error.what());
            }
        }
        struct stat status {};
        QCOMPARE(::stat("/dev/null", &status), 0);
        QVERIFY(S_ISCHR(status.st_mode));
        QVERIFY(fs::is_fifo(fifo));
    }

    void removesTemporariesOfKilledWriters()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("zoo.h5").toStdString();
        const pid_t finished = ::fork();
        if (finished == 0)
            std::_Exit(0);
        ::waitpid(finished, nullptr, 0); // a process that no longer runs, like a killed writer
        const std::string stale = path + ".tmp-" + std::to_string(finished) + "-00abcd";
        const std::string live = path + ".tmp-1-00abcd"; // pid 1 runs: another writer's, kept
        const std::string otherFile = dir.filePath("other.h5.tmp-" + QString::number(finished) + "-00abcd").toStdString();
        for (const std::string &name : {stale, live, otherFile})
            std::ofstream(name) << "partial";
        ZooStore::write(test::makeSyntheticZoo(1, 1, 1), path);
        QVERIFY(!fs::exists(stale));
        QVERIFY(fs::exists(live));
        QVERIFY(fs::exists(otherFile));
    }
};

QTEST_GUILESS_MAIN(TestAtomicWrites)
#include "test_atomicwrites.moc"
