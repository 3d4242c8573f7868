// The population trainer: models trained together equal the same models trained alone; models
// learn; the zoo job writes a valid file after every epoch and stops cleanly when cancelled.
#include "common/error.h"
#include "data/datasets.h"
#include "training/populationtrainer.h"
#include "training/zootrainer.h"
#include "zoo/zoostore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace wse;

namespace {

bool haveFashionMnist() { return QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"); }

TrainTestData smallData(int64_t train, int64_t test)
{
    DatasetOptions options;
    options.trainLimit = train;
    options.testLimit = test;
    return loadDataset(options);
}

ModelConfig config(const std::string &init, double lr, int64_t seed)
{
    ModelConfig c;
    c.id = init + std::to_string(seed);
    c.init = init;
    c.activation = "gelu";
    c.optimizer = "adam";
    c.learningRate = lr;
    c.weightDecay = seed == 2 ? 1e-3 : 0.0;
    c.seed = seed;
    return c;
}

} // namespace

class TestTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void populationEqualsOneAtATime()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        const TrainTestData data = smallData(300, 200);
        const std::vector<ModelConfig> configs = {config("kaiming_uniform", 1e-3, 1), config("normal", 3e-4, 2),
                                                  config("xavier_normal", 1e-2, 3)};
        PopulationTrainer together(configs, data, 10, "cpu");
        const auto initial = together.evaluateInitial();
        const auto trained = together.trainEpoch(nullptr, 0, 1, "epoch 1");
        const std::vector<float> weights = together.flatWeights();
        const int64_t cols = together.parameterCount();

        for (size_t m = 0; m < configs.size(); ++m) {
            PopulationTrainer alone({configs[m]}, data, 10, "cpu");
            const auto aloneInitial = alone.evaluateInitial();
            const auto aloneTrained = alone.trainEpoch(nullptr, 0, 1, "epoch 1");
            const std::vector<float> aloneWeights = alone.flatWeights();
            QCOMPARE(aloneInitial[0].testAccuracy, initial[m].testAccuracy);
            QVERIFY(std::fabs(aloneTrained[0].trainLoss - trained[m].trainLoss) < 1e-4 * (1 + trained[m].trainLoss));
            QVERIFY(std::fabs(aloneTrained[0].testLoss - trained[m].testLoss) < 1e-4 * (1 + trained[m].testLoss));
            double worst = 0;
            for (int64_t j = 0; j < cols; ++j)
                worst = std::max(worst, double(std::fabs(aloneWeights[size_t(j)] - weights[size_t(int64_t(m) * cols + j)])));
            QVERIFY2(worst < 1e-4, qPrintable(QString("model %1 differs by %2").arg(m).arg(worst)));
        }
    }

    void officialInitialisationRules()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        const TrainTestData data = smallData(20, 20);
        PopulationTrainer trainer({config("uniform", 1e-3, 4), config("kaiming_normal", 1e-3, 4)}, data, 10, "cpu");
        const std::vector<float> w = trainer.flatWeights();
        // "uniform" is U(0, 1): every conv1 weight positive; every bias 0.01.
        for (int j = 0; j < 200; ++j)
            QVERIFY(w[size_t(j)] >= 0.0f && w[size_t(j)] <= 1.0f);
        for (int j = 200; j < 208; ++j)
            QCOMPARE(w[size_t(j)], 0.01f);
        // kaiming_normal: N(0, 2 / fan_in) with fan_in 25 for conv1 -> std 0.283.
        double sum = 0, squares = 0;
        for (int j = 0; j < 200; ++j) {
            const double v = w[size_t(2464 + j)];
            sum += v;
            squares += v * v;
        }
        const double std = std::sqrt(squares / 200 - (sum / 200) * (sum / 200));
        QVERIFY2(std > 0.22 && std < 0.35, qPrintable(QString::number(std)));
    }

    void zooJobLearnsWritesEachEpochAndCancelsCleanly()
    {
        if (!haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        QTemporaryDir dir;
        const std::string path = dir.filePath("zoo.h5").toStdString();
        ZooTrainOptions options;
        options.inits = {"kaiming_uniform"};
        options.activations = {"tanh", "relu"};
        options.learningRates = {1e-3};
        options.seeds = {1, 2};
        options.epochs = 3;
        options.data.trainLimit = 1500;
        options.data.testLimit = 500;
        options.device = "cpu";
        int reports = 0;
        // Stop after epoch 2 has been written.
        auto stopAfterEpochTwo = [&reports](const ProgressInfo &info) {
            ++reports;
            return info.stage != "epoch 2/3 done";
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, trainZoo(options, path, stopAfterEpochTwo));
        QVERIFY(reports > 5);

        const Zoo zoo = ZooStore::read(path);
        QCOMPARE(zoo.modelCount(), int64_t(4));
        QCOMPARE(zoo.checkpointCount(), int64_t(4 * 3)); // epochs 0, 1, 2
        const Column &epoch = zoo.checkpoints.get("epoch");
        const Column &accuracy = zoo.checkpoints.get("test_acc");
        for (int64_t c = 0; c < zoo.checkpointCount(); ++c) {
            const double gap = zoo.checkpoints.get("train_acc").number(c) - accuracy.number(c);
            QVERIFY(std::fabs(zoo.checkpoints.get("ggap").number(c) - gap) < 1e-12);
            if (epoch.number(c) == 2) // kaiming init, Adam 1e-3: well above chance after two epochs
                QVERIFY2(accuracy.number(c) > 0.5, qPrintable(QString::number(accuracy.number(c))));
        }
        QCOMPARE(zoo.checkpointValue(0, "activation"), std::string("tanh")); // grid order: activation outermost
        QVERIFY(zoo.provenance.find("\"train_limit\":1500") != std::string::npos);
    }

    void invalidGridsAreRefused()
    {
        ZooTrainOptions options;
        options.inits = {"he"};
        QVERIFY_THROWS_EXCEPTION(UsageError, options.expandGrid());
        options.inits = {"normal"};
        options.seeds = {};
        QVERIFY_THROWS_EXCEPTION(UsageError, options.expandGrid());
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "test_training.moc"
