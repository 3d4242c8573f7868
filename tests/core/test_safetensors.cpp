// safetensors read and write: our files read back with numpy (the header parsed as the format
// says), files laid out as safetensors' own writer does read in layer order, and broken headers
// refused with a message that names the file and the problem.
#include "common/pythonoracle.h"

#include "checkpoint/checkpointfile.h"
#include "checkpoint/safetensors.h"
#include "common/error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace wse;

namespace {

StateDict sample()
{
    StateDict sd;
    const float weights[12] = {0.5f, -1.25f, 3, 4, 5, 6, 7, 8, 9, 10, 11, -0.0f};
    sd.entries.emplace_back("layers.0.weight", TensorBuffer::fromFloat({3, 4}, weights));
    const int64_t steps[5] = {1, -2, 3, 1LL << 40, 5};
    sd.entries.emplace_back("layers.0.steps", TensorBuffer::fromInt64({5}, steps));
    TensorBuffer half;
    half.dtype = DType::BFloat16;
    half.shape = {2};
    half.bytes = {0x80, 0x3f, 0x00, 0xc0}; // 1.0, -2.0
    sd.entries.emplace_back("layers.1.scale", half);
    TensorBuffer mask;
    mask.dtype = DType::Bool;
    mask.shape = {3};
    mask.bytes = {1, 0, 1};
    sd.entries.emplace_back("layers.1.mask", mask);
    TensorBuffer empty;
    empty.dtype = DType::UInt8;
    empty.shape = {0, 4};
    sd.entries.emplace_back("layers.2.empty", empty);
    sd.texts = {{"format", "pt"}, {"note", "ünïcode ok"}};
    return sd;
}

// A file from a header (JSON text) and data, as a hostile or broken writer would make it.
std::vector<uint8_t> fileOf(const std::string &header, size_t dataBytes, uint64_t claimedHeaderBytes = 0)
{
    const uint64_t length = claimedHeaderBytes ? claimedHeaderBytes : header.size();
    std::vector<uint8_t> bytes(8 + header.size() + dataBytes, 0);
    for (int i = 0; i < 8; ++i)
        bytes[size_t(i)] = uint8_t(length >> (8 * i));
    std::memcpy(bytes.data() + 8, header.data(), header.size());
    return bytes;
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;

private Q_SLOTS:
    void ourFilesReadBackHereAndWithNumpy()
    {
        const QString path = mDir.filePath("ours.safetensors");
        const StateDict written = sample();
        writeCheckpoint(path.toStdString(), written);
        const StateDict read = readCheckpoint(path.toStdString());
        QCOMPARE(read.entries.size(), written.entries.size());
        for (size_t i = 0; i < read.entries.size(); ++i) {
            QCOMPARE(read.entries[i].first, written.entries[i].first); // our order, as written
            QCOMPARE(read.entries[i].second.dtype, written.entries[i].second.dtype);
            QCOMPARE(read.entries[i].second.shape, written.entries[i].second.shape);
            QVERIFY(read.entries[i].second.bytes == written.entries[i].second.bytes);
        }
        QCOMPARE(read.texts, written.texts);
        QVERIFY(read.notes.empty());

        if (!test::pythonHas("numpy"))
            QSKIP("python3-numpy is not installed");
        const QString script = R"(
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
assert n % 8 == 0, 'header not padded to 8 bytes'
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
types = {'F32': np.float32, 'I64': np.int64, 'BF16': np.uint16, 'BOOL': np.bool_, 'U8': np.uint8}
def tensor(name):
    e = header[name]
    b, end = e['data_offsets']
    return np.frombuffer(data[b:end], dtype=types[e['dtype']]).reshape(e['shape'])
w = tensor('layers.0.weight')
assert w.shape == (3, 4) and w[0, 1] == -1.25 and w[2, 3] == 0.0, w
assert tensor('layers.0.steps').tolist() == [1, -2, 3, 1 << 40, 5]
bf16 = (tensor('layers.1.scale').astype(np.uint32) << 16).view(np.float32)
assert bf16.tolist() == [1.0, -2.0], bf16
assert tensor('layers.1.mask').tolist() == [True, False, True]
assert tensor('layers.2.empty').shape == (0, 4)
assert header['__metadata__'] == {'format': 'pt', 'note': 'ünïcode ok'}, header['__metadata__']
ends = sorted(e['data_offsets'] for k, e in header.items() if k != '__metadata__')
assert ends[0][0] == 0 and all(a[1] == b[0] for a, b in zip(ends, ends[1:])) and ends[-1][1] == len(data)
print('ok')
)";
        QCOMPARE(test::runPython(script, {path}).trimmed(), QString("ok"));
    }

    // safetensors' own writer sorts tensors by dtype, then by name: "layers.10" before "layers.2".
    // Read, they come in layer order, with a note.
    void filesSortedByNameAreListedInLayerOrder()
    {
        if (!test::pythonHas("numpy"))
            QSKIP("python3-numpy is not installed");
        const QString path = mDir.filePath("reference-layout.safetensors");
        const QString script = R"(
import json, struct, sys
import numpy as np
tensors = {'layers.%d.weight' % i: np.full((2, 2), i, dtype=np.float32) for i in (0, 2, 10, 11)}
tensors['layers.2.bias'] = np.array([7, 8], dtype=np.float32)
header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
for name in sorted(tensors):
    blob = tensors[name].tobytes()
    header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(blob)]}
    blobs.append(blob)
    offset += len(blob)
text = json.dumps(header, separators=(',', ':')).encode()
text += b' ' * (-len(text) % 8)
open(sys.argv[1], 'wb').write(struct.pack('<Q', len(text)) + text + b''.join(blobs))
print('written')
)";
        QCOMPARE(test::runPython(script, {path}).trimmed(), QString("written"));
        const StateDict read = readCheckpoint(path.toStdString());
        QStringList names;
        for (const auto &[name, tensor] : read.entries)
            names << QString::fromStdString(name);
        QCOMPARE(names, QStringList({"layers.0.weight", "layers.2.bias", "layers.2.weight", "layers.10.weight", "layers.11.weight"}));
        QCOMPARE(read.find("layers.10.weight")->toFloat(), std::vector<float>(4, 10.0f));
        QCOMPARE(read.find("layers.2.bias")->toFloat(), std::vector<float>({7, 8}));
        QCOMPARE(read.notes.size(), size_t(1));
    }

    void brokenFilesAreRefusedWithTheirReason_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("reason");
        const auto add = [](const char *name, const std::vector<uint8_t> &bytes, const char *reason) {
            QTest::newRow(name) << QByteArray(reinterpret_cast<const char *>(bytes.data()), int(bytes.size())) << QString(reason);
        };
        const std::string good = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
        add("outside", fileOf("{" + good + R"(,"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 8),
            "tensor 'b': data_offsets [8, 12] lie outside the 8 bytes of data");
        add("overlap", fileOf("{" + good + R"(,"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8), "overlaps");
        add("hole", fileOf("{" + good + R"(,"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})", 16),
            "bytes 8 to 12 of the data belong to no tensor");
        add("trailing bytes", fileOf("{" + good + "}", 12), "the last 4 bytes of the data belong to no tensor");
        add("unknown dtype", fileOf(R"({"a":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})", 8),
            "tensor 'a': unsupported dtype \"F8_E4M3\"");
        add("size mismatch", fileOf(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8),
            "needs 12 bytes, but its data_offsets span 8");
        add("negative size", fileOf(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8), "not a whole number");
        add("huge shape", fileOf(R"({"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,8]}})", 8),
            "more elements than the file has bytes");
        add("truncated", fileOf("{" + good + "}", 8, 4096), "truncated: the safetensors header claims 4096 bytes");
        add("oversized header", fileOf("{" + good + "}", 8, 200'000'000), "more than the 100000000 allowed");
        add("not json", fileOf(R"({"a": {"dtype": "F32", )", 8), "not valid JSON");
        add("deep", fileOf("{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}", 0), "nests deeper");
        add("no tensors", fileOf(R"({"__metadata__":{"format":"pt"}})", 0), "holds no tensors");
        add("metadata not text", fileOf(R"({"__metadata__":{"n":3},)" + good + "}", 8), "__metadata__ entry 'n' is not a text");
        add("entry not an object", fileOf(R"({"a":[1,2]})", 0), "tensor 'a': its header entry is not a JSON object");
    }

    void brokenFilesAreRefusedWithTheirReason()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, reason);
        try {
            readCheckpointBytes(std::vector<uint8_t>(file.begin(), file.end()), "bad.safetensors");
            QFAIL("accepted");
        } catch (const FormatError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.startsWith("bad.safetensors") && message.contains(reason), qPrintable(message));
        }
    }
};

QTEST_MAIN(TestSafetensors)
#include "test_safetensors.moc"
