// Provenance of generated networks: a "sampler" that returns its anchors unchanged (and
// neuron-permuted) is flagged as copying, freshly initialised networks are not, and the two
// baselines are what they say (noise of the network's own size of change; the weight-matched
// average of two anchors), on a small zoo trained on Fashion-MNIST.
#include "common/fixtures.h"

#include "sane/permutation.h"
#include "sane/provenance.h"
#include "training/populationtrainer.h"
#include "training/zootrainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace wse;

class TestProvenance : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    ZooTrainOptions mOptions;
    Zoo mZoo;
    ZooDatasetSetup mSetup;

    const float *weightsOf(int64_t checkpoint) const
    {
        return mZoo.weights[0].row(int64_t(mZoo.checkpoints.get(zoocol::WeightRow).number(checkpoint)));
    }

    ProvenanceZoo provenanceZoo() const
    {
        ProvenanceZoo zoo;
        zoo.architecture = mZoo.architectures[0];
        for (int64_t c = 0; c < mZoo.checkpointCount(); ++c) {
            zoo.rows.insert(zoo.rows.end(), weightsOf(c), weightsOf(c) + mZoo.weights[0].cols);
            zoo.names.push_back(mZoo.checkpointName(c));
            zoo.models.push_back(mZoo.checkpointValue(c, zoocol::ModelId));
        }
        // A permutation-invariant stand-in for SANE's embedding, so the latent figures run too.
        const NeuronPermuter permuter(zoo.architecture);
        for (int64_t c = 0; c < zoo.count(); ++c) {
            const std::vector<float> signature = permuter.signature(zoo.row(c));
            zoo.embeddingSize = int64_t(signature.size());
            zoo.embeddings.insert(zoo.embeddings.end(), signature.begin(), signature.end());
        }
        return zoo;
    }

    std::vector<ModelConfig> configs(size_t count, int64_t firstSeed) const
    {
        std::vector<ModelConfig> out = mOptions.expandModels();
        out.resize(1);
        out.resize(count, out.front());
        for (size_t i = 0; i < count; ++i)
            out[i].seed = firstSeed + int64_t(i);
        return out;
    }

    ProvenanceAnalysis analysis()
    {
        const NeuronPermuter permuter(mZoo.architectures[0]);
        auto predict = [this](const std::vector<float> &rows, const std::vector<int64_t> &like) {
            PopulationTrainer networks(mSetup.network, configs(like.size(), 0), mSetup.data, "cpu");
            networks.setFlatWeights(rows);
            return networks.testPredictions(1000);
        };
        auto embed = [permuter](const std::vector<float> &rows, int64_t count) {
            std::vector<float> out;
            for (int64_t i = 0; i < count; ++i) {
                const std::vector<float> s = permuter.signature(rows.data() + i * int64_t(rows.size()) / count);
                out.insert(out.end(), s.begin(), s.end());
            }
            return out;
        };
        return ProvenanceAnalysis(provenanceZoo(), predict, embed, 42);
    }

    int64_t checkpointOf(int model, int epoch) const
    {
        for (int64_t c = 0; c < mZoo.checkpointCount(); ++c)
            if (mZoo.checkpoints.get(zoocol::Model).number(c) == model && mZoo.checkpoints.get(zoocol::Epoch).number(c) == epoch)
                return c;
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!test::haveFashionMnist())
            QSKIP("dataset-fashion-mnist is not installed");
        mOptions.inits = {"kaiming_uniform"};
        mOptions.activations = {"tanh"};
        mOptions.optimizers = {"adam"};
        mOptions.learningRates = {1e-3};
        mOptions.seeds = {1, 2, 3, 4, 5, 6};
        mOptions.epochs = 2;
        mOptions.trainLimit = 1000;
        mOptions.testLimit = 1000;
        mOptions.device = "cpu";
        mZoo = trainZoo(mOptions, mDir.filePath("zoo.h5").toStdString(), {});
        mSetup = setupZooDataset(mOptions, "fashion-mnist");
    }

    void aSamplerReturningItsAnchorsIsFlaggedAsCopying()
    {
        ProvenanceAnalysis provenance = analysis();
        QVERIFY(provenance.scale().weight > 0);
        QVERIFY(provenance.scale().latent > 0);
        const NeuronPermuter permuter(mZoo.architectures[0]);
        const int64_t n = mZoo.architectures[0].numel();
        std::vector<int64_t> anchors = {checkpointOf(0, 2), checkpointOf(1, 2), checkpointOf(2, 1)};
        std::vector<float> copies;
        std::mt19937_64 random(5);
        for (int64_t a : anchors) {
            std::vector<float> row(weightsOf(a), weightsOf(a) + n);
            permuter.permute(row.data(), random); // the same network, its hidden units reordered
            double raw = 0;
            for (int64_t i = 0; i < n; ++i)
                raw += std::pow(double(row[size_t(i)]) - weightsOf(a)[i], 2);
            QVERIFY(std::sqrt(raw) > 0.5 * provenance.scale().weight); // unaligned it looks like another network
            copies.insert(copies.end(), row.begin(), row.end());
        }
        const std::vector<NetworkProvenance> figures = provenance.analyse(copies, anchors, anchors, nullptr);
        for (size_t i = 0; i < anchors.size(); ++i) {
            const ProvenanceFigures &f = figures[i].network;
            QCOMPARE(f.weightNearest, anchors[i]);
            QVERIFY2(f.weightDistance < 1e-3 * provenance.scale().weight, qPrintable(QString::number(f.weightDistance)));
            QVERIFY(f.agreement >= 0.999);
            QVERIFY(f.nearCopy());
            QCOMPARE(f.latentNearest, anchors[i]);
            QVERIFY(figures[i].change < 1e-3 * provenance.scale().weight);
            // The average baseline pairs the anchor with another model's checkpoint.
            QVERIFY(figures[i].partner >= 0);
            QVERIFY(mZoo.checkpointValue(figures[i].partner, zoocol::ModelId) != mZoo.checkpointValue(anchors[i], zoocol::ModelId));
        }
        const std::string table = provenanceTable(provenance, figures, {"copy-0", "copy-1", "copy-2"}, {0, 1, 2});
        QVERIFY2(QString::fromStdString(table).count("near-copy") >= 3, table.c_str());
        QVERIFY(table.find("baseline: anchor + noise") != std::string::npos);
        QVERIFY(table.find("baseline: aligned average") != std::string::npos);
    }

    // One model alone has no spacing between models: a copy of it is still a copy.
    void aCopyIsACopyWhenTheZooHasNoSpacing()
    {
        ProvenanceZoo zoo = provenanceZoo();
        ProvenanceZoo single;
        single.architecture = zoo.architecture;
        single.embeddingSize = zoo.embeddingSize;
        for (int64_t c = 0; c < zoo.count(); ++c)
            if (zoo.models[size_t(c)] == zoo.models[0]) {
                single.rows.insert(single.rows.end(), zoo.row(c), zoo.row(c) + zoo.parameters());
                single.embeddings.insert(single.embeddings.end(), zoo.embeddings.begin() + c * zoo.embeddingSize,
                                         zoo.embeddings.begin() + (c + 1) * zoo.embeddingSize);
                single.names.push_back(zoo.names[size_t(c)]);
                single.models.push_back(zoo.models[size_t(c)]);
            }
        ProvenanceAnalysis provenance(single, {}, {}, 42);
        QVERIFY(std::isnan(provenance.scale().weight));
        const std::vector<float> copy(single.row(1), single.row(1) + single.parameters());
        const std::vector<NetworkProvenance> figures = provenance.analyse(copy, {1}, {}, nullptr);
        QCOMPARE(figures[0].network.weightNearest, int64_t(1));
        QCOMPARE(figures[0].network.weightRatio, 0.0);
    }

    void freshNetworksAreNotCopiesAndBaselinesAreWhatTheySay()
    {
        ProvenanceAnalysis provenance = analysis();
        PopulationTrainer fresh(mSetup.network, configs(3, 1000), mSetup.data, "cpu");
        const std::vector<float> rows = fresh.flatWeights();
        const std::vector<int64_t> anchors = {checkpointOf(0, 2), checkpointOf(3, 2), checkpointOf(4, 2)};
        const std::vector<NetworkProvenance> figures = provenance.analyse(rows, anchors, anchors, nullptr);
        for (size_t i = 0; i < figures.size(); ++i) {
            const NetworkProvenance &p = figures[i];
            QVERIFY2(!p.network.nearCopy(), qPrintable(QStringLiteral("ratio %1, agreement %2")
                                                           .arg(p.network.weightRatio).arg(p.network.agreement)));
            QVERIFY(p.network.agreement < ProvenanceFigures::CopyAgreement);
            // Noise of the network's own size of change around the anchor: nearest is the anchor,
            // at that distance (weight matching cannot bring the anchor closer than the noise).
            QVERIFY(p.change > 0);
            QCOMPARE(p.noise.weightNearest, p.anchor);
            QVERIFY2(std::abs(p.noise.weightDistance - p.change) < 0.02 * p.change,
                     qPrintable(QStringLiteral("%1 vs %2").arg(p.noise.weightDistance).arg(p.change)));
            // The aligned average lies halfway between anchor and partner: its nearest checkpoint is
            // at most half their weight-matched distance away.
            const NeuronPermuter permuter(mZoo.architectures[0]);
            std::vector<float> partner(weightsOf(p.partner), weightsOf(p.partner) + mZoo.weights[0].cols);
            std::mt19937_64 random(1);
            permuter.apply(partner.data(), permuter.match(partner.data(), weightsOf(p.anchor), random));
            double between = 0;
            for (size_t k = 0; k < partner.size(); ++k)
                between += std::pow(double(partner[k]) - weightsOf(p.anchor)[int64_t(k)], 2);
            QVERIFY(p.average.weightDistance <= 0.5 * std::sqrt(between) * 1.001);
            QVERIFY(p.average.agreement > 0 && p.average.agreement <= 1);
        }
        // The columns a generated zoo stores.
        const std::vector<ProvenanceColumn> columns = provenanceColumns(provenance.zoo(), figures[0]);
        QCOMPARE(columns.front().name, std::string("nearest_checkpoint"));
        QCOMPARE(columns.front().text, mZoo.checkpointName(figures[0].network.weightNearest));
        bool sawFlag = false;
        for (const ProvenanceColumn &c : columns)
            if (c.name == "near_copy") {
                QCOMPARE(c.number, 0.0);
                sawFlag = true;
            }
        QVERIFY(sawFlag);
    }
};

QTEST_GUILESS_MAIN(TestProvenance)
#include "test_provenance.moc"
