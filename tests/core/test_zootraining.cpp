// Zoo training jobs: learning, writing each epoch and resuming exactly, divergence, official key
// names, the datasets (digits, tabular, CIFAR batches), searches, presets, populations and refused
// options. (The population trainer's maths against PyTorch: test_training.)
#include "common/fixtures.h"

#include "checkpoint/checkpointfile.h"
#include "common/error.h"
#include "common/pythonoracle.h"
#include "data/datasets.h"
#include "zoo/zoocheckpoints.h"
#include "training/populationtrainer.h"
#include "training/zootrainer.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace wse;

namespace {

bool haveSklearn() { return QFile::exists(QString::fromStdString(sklearnDataFolder()) + "/digits.csv.gz"); }

ZooTrainOptions smallJob()
{
    ZooTrainOptions options;
    options.inits = {"kaiming_uniform"};
    options.activations = {"tanh", "relu"};
    options.optimizers = {"adam", "sgd"};
    options.learningRates = {1e-3};
    options.seeds = {1, 2};
    options.epochs = 3;
    options.trainLimit = 1000;
    options.testLimit = 300;
    options.device = "cpu";
    return options;
}

} // namespace

class TestZooTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void zooJobLearnsWritesEachEpochAndResumesExactly()
    {
        if (!test::haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        QTemporaryDir dir;
        const std::string straight = dir.filePath("straight.h5").toStdString();
        const std::string resumed = dir.filePath("resumed.h5").toStdString();
        const ZooTrainOptions options = smallJob();
        const Zoo reference = trainZoo(options, straight, {});

        // Stop after epoch 1 has been written; the file is then a valid zoo of epochs 0 and 1.
        auto stopAfterEpochOne = [](const ProgressInfo &info) { return info.stage != "epoch 1/3 done"; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, trainZoo(options, resumed, stopAfterEpochOne));
        const Zoo partial = ZooStore::read(resumed);
        QCOMPARE(partial.modelCount(), int64_t(8));
        QCOMPARE(partial.checkpointCount(), int64_t(8 * 2));
        QVERIFY(partial.attachments.count("training_state"));

        // tanh and relu models share one population; its saved state says which models its rows
        // are, and a state whose rows are other models is refused, naming the file, not loaded.
        Zoo tampered = partial;
        StateDict state = readCheckpointBytes(tampered.attachments.at("training_state"), "state");
        QVERIFY(state.find("population.0.members"));
        QVERIFY(!state.find("population.1.members"));
        for (auto &[key, tensor] : state.entries)
            if (key == "population.0.members")
                std::reverse(reinterpret_cast<int64_t *>(tensor.bytes.data()),
                             reinterpret_cast<int64_t *>(tensor.bytes.data() + tensor.bytes.size()));
        tampered.attachments["training_state"] = serializeCheckpoint(state);
        const std::string tamperedPath = dir.filePath("tampered.h5").toStdString();
        ZooStore::write(tampered, tamperedPath);
        try {
            trainZoo(options, tamperedPath, {});
            QFAIL("a training state of other populations must be refused");
        } catch (const FormatError &error) {
            QVERIFY(QString(error.what()).contains("tampered.h5"));
        }

        // The same job again continues from epoch 2 and ends where the uninterrupted run ended.
        const Zoo finished = trainZoo(options, resumed, {});
        QCOMPARE(finished.checkpointCount(), reference.checkpointCount());
        QVERIFY(!ZooStore::read(resumed).attachments.count("training_state"));
        QVERIFY(finished.weights[0].values == reference.weights[0].values);
        QVERIFY(finished.checkpoints.get("test_acc").numbers() == reference.checkpoints.get("test_acc").numbers());
        for (int64_t c = 0; c < reference.checkpointCount(); ++c)
            if (reference.checkpoints.get("epoch").number(c) == 3) // kaiming init: well above chance
                QVERIFY(reference.checkpoints.get("test_acc").number(c) > 0.45);

        // Running it once more changes nothing; other options are refused for this file.
        QCOMPARE(trainZoo(options, resumed, {}).checkpointCount(), reference.checkpointCount());
        ZooTrainOptions other = options;
        other.epochs = 5;
        QVERIFY_THROWS_EXCEPTION(UsageError, trainZoo(other, resumed, {}));
    }

    void divergenceIsRecordedNotDropped()
    {
        if (!test::haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        QTemporaryDir dir;
        ZooTrainOptions options = smallJob();
        options.inits = {"normal"};
        options.activations = {"relu"};
        options.optimizers = {"sgd"};
        options.learningRates = {1e38, 1e-3}; // the first overflows to inf, then NaN
        options.seeds = {1};
        options.epochs = 1;
        options.checkpointEpochs = {1};
        const Zoo zoo = trainZoo(options, dir.filePath("z.h5").toStdString(), {});
        QCOMPARE(zoo.modelCount(), int64_t(2));
        QCOMPARE(zoo.checkpointCount(), int64_t(2)); // only epoch 1 stored, both models kept
        QCOMPARE(zoo.models.get("diverged_epoch").number(0), 1.0);
        QVERIFY(std::isnan(zoo.models.get("diverged_epoch").number(1)));
        QCOMPARE(zoo.curves.rowCount(), int64_t(4)); // metrics of every epoch, stored or not
    }

    void dropoutModelsKeepOfficialKeyNames()
    {
        if (!test::haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        QTemporaryDir dir;
        ZooTrainOptions options = smallJob();
        options.activations = {"tanh"};
        options.optimizers = {"adam"};
        options.dropouts = {0.0, 0.5};
        options.seeds = {1};
        options.epochs = 1;
        const Zoo zoo = trainZoo(options, dir.filePath("z.h5").toStdString(), {});
        QCOMPARE(zoo.architectures.size(), size_t(1)); // one matrix for both
        QVERIFY(zoo.models.get("state_dict_keys").text(0).empty());
        QVERIFY(QString::fromStdString(zoo.models.get("state_dict_keys").text(1)).contains("module_list.14.weight"));
    }

    void digitsAndTabularDatasets()
    {
        if (!haveSklearn())
            QSKIP("python3-sklearn is not installed");
        DatasetOptions digits;
        digits.name = "digits";
        digits.resize = 28;
        const TrainTestData d = loadDataset(digits);
        QCOMPARE(d.train.count + d.validation.count + d.test.count, int64_t(1797));
        QCOMPARE(d.test.count, int64_t(360));
        QCOMPARE(d.train.height, int64_t(28));
        DatasetOptions iris;
        iris.name = "iris";
        const TrainTestData t = loadDataset(iris);
        QCOMPARE(t.train.channels, int64_t(4));
        QCOMPARE(t.train.classes, int64_t(3));

        // An MLP zoo on iris learns.
        QTemporaryDir dir;
        ZooTrainOptions options;
        options.architecture = "mlp";
        options.datasets = {"iris"};
        options.activations = {"relu"};
        options.learningRates = {1e-2};
        options.seeds = {1, 2};
        options.epochs = 20;
        options.device = "cpu";
        const Zoo zoo = trainZoo(options, dir.filePath("iris.h5").toStdString(), {});
        QCOMPARE(zoo.architectures.front().name, std::string("mlp-4"));
        const Column &accuracy = zoo.checkpoints.get("test_acc");
        QVERIFY2(accuracy.number(zoo.checkpointCount() - 1) > 0.8, qPrintable(QString::number(accuracy.number(zoo.checkpointCount() - 1))));
    }

    void cifarBinaryBatches()
    {
        // Six records per file in the CIFAR-10 layout: 1 label byte, then 1024 R, G, B bytes.
        QTemporaryDir dir;
        auto write = [&](const QString &name, int first) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (int r = 0; r < 6; ++r) {
                QByteArray record(1 + 3072, char(0));
                record[0] = char((first + r) % 10);
                record[1] = char(255); // first red pixel
                file.write(record);
            }
        };
        for (int i = 1; i <= 5; ++i)
            write(QString("data_batch_%1.bin").arg(i), i);
        write("test_batch.bin", 7);
        DatasetOptions options;
        options.name = "cifar10";
        options.root = dir.path().toStdString();
        const TrainTestData data = loadDataset(options);
        QCOMPARE(data.train.count + data.validation.count, int64_t(30));
        QCOMPARE(data.train.count, int64_t(30 * 21 / 25));
        QCOMPARE(data.test.count, int64_t(6));
        QCOMPARE(data.test.channels, int64_t(3));
        QCOMPARE(data.test.height, int64_t(32));
        QCOMPARE(data.test.labels[2], int64_t(9));
        QCOMPARE(data.test.images[0], 1.0f);  // 255 -> 1 -> (1 - 0.5) / 0.5
        QCOMPARE(data.test.images[1], -1.0f); // 0 -> -1
        options.resize = 28;
        QCOMPARE(loadDataset(options).test.width, int64_t(28));

        QFile::resize(dir.filePath("test_batch.bin"), 3000); // not a whole record
        try {
            loadDataset(options);
            QFAIL("a cut batch file must be refused");
        } catch (const FormatError &error) {
            QVERIFY(QString(error.what()).contains("test_batch.bin"));
        }
    }

    void searchesAndPresets()
    {
        ZooTrainOptions random = smallJob();
        random.search = "random";
        random.models = 7;
        random.searchSeed = 5;
        const auto a = random.expandModels();
        QCOMPARE(a.size(), size_t(7));
        QCOMPARE(random.expandModels()[3].seed, a[3].seed); // reproducible
        random.searchSeed = 6;
        QVERIFY(random.expandModels()[3].seed != a[3].seed);

        QCOMPARE(ZooTrainOptions::preset("seed").expandModels().size(), size_t(1000));
        QCOMPARE(ZooTrainOptions::preset("hyp-fix").expandModels().size(), size_t(2560));
        const auto hypRand = ZooTrainOptions::preset("hyp-rand").expandModels();
        QCOMPARE(hypRand.size(), size_t(2560));
        std::set<int64_t> seeds;
        for (const ModelConfig &c : hypRand)
            seeds.insert(c.seed);
        QVERIFY(seeds.size() > 2000); // drawn independently per configuration
        QVERIFY_THROWS_EXCEPTION(UsageError, ZooTrainOptions::preset("nope"));

        const std::string json = ZooTrainOptions::preset("hyp-fix").toJson();
        QCOMPARE(ZooTrainOptions::fromJson(json, "test", ZooTrainOptions()).toJson(), json);
        QVERIFY_THROWS_EXCEPTION(FormatError, ZooTrainOptions::fromJson(R"({"epoch": 3})", "x.json", ZooTrainOptions()));
    }

    void populationsShareDatasetAndBatchSize()
    {
        std::vector<ModelConfig> configs(6);
        const char *activations[] = {"relu", "tanh", "relu", "tanh", "gelu", "gelu"};
        for (size_t i = 0; i < configs.size(); ++i) {
            configs[i].dataset = i == 5 ? "digits" : "fashion-mnist";
            configs[i].activation = activations[i];
            configs[i].batchSize = i == 4 ? 32 : 10;
        }
        // Activations mix (each one's models adjacent); at most three models a population.
        using Groups = std::vector<std::vector<int64_t>>;
        QCOMPARE(groupIntoPopulations(configs, 3), (Groups{{5}, {0, 2, 1}, {3}, {4}}));
        // Training states from before mixing resume with their grouping: by activation too, in
        // the order of (dataset, activation, batch size).
        QCOMPARE(groupIntoPopulations(configs, 3, true), (Groups{{5}, {4}, {0, 2}, {1, 3}}));
    }

    void invalidOptionsAreRefused()
    {
        ZooTrainOptions options;
        options.inits = {"he"};
        QVERIFY_THROWS_EXCEPTION(UsageError, options.expandModels());
        options.inits = {"normal"};
        options.dropouts = {1.0};
        QVERIFY_THROWS_EXCEPTION(UsageError, options.expandModels());
        options.dropouts = {0.0};
        options.datasets = {"imagenet"};
        QVERIFY_THROWS_EXCEPTION(UsageError, options.expandModels());
    }
};

QTEST_GUILESS_MAIN(TestZooTraining)
#include "test_zootraining.moc"
