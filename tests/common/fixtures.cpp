#include "fixtures.h"

#include "zoo/architecture.h"

#include <QFile>

#include <random>

namespace wse::test {

Zoo makeSyntheticZoo(int clusters, int perCluster, int epochs, unsigned seed)
{
    Zoo zoo;
    zoo.name = "synthetic";
    zoo.provenance = R"({"kind":"synthetic test zoo"})";
    const Architecture architecture = cnnSmall(1);
    zoo.addArchitecture(architecture);
    const int64_t cols = architecture.numel();
    std::mt19937 random(seed);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    std::vector<std::vector<float>> centres(static_cast<size_t>(clusters), std::vector<float>(static_cast<size_t>(cols)));
    for (int c = 0; c < clusters; ++c)
        for (int64_t j = 0; j < cols; ++j)
            centres[size_t(c)][size_t(j)] = (j % clusters == c) ? 1.0f + 0.5f * float(c) : 0.0f; // position and scale differ

    int model = 0;
    for (int c = 0; c < clusters; ++c)
        for (int m = 0; m < perCluster; ++m, ++model) {
            zoo.models.appendRow({{zoocol::ModelId, "model_" + std::to_string(model)},
                                  {zoocol::Architecture, architecture.name},
                                  {"init", "init_" + std::to_string(c)},
                                  {"seed", m + 1}});
            for (int epoch = 0; epoch <= epochs; ++epoch) {
                std::vector<float> row(static_cast<size_t>(cols));
                for (int64_t j = 0; j < cols; ++j)
                    row[size_t(j)] = centres[size_t(c)][size_t(j)] + 0.02f * float(epoch) + noise(random);
                const int64_t weightRow = zoo.weights.front().rows;
                zoo.weights.front().appendRow(row.data());
                const double accuracy = 0.1 + 0.8 * double(epoch) / double(std::max(epochs, 1));
                zoo.checkpoints.appendRow({{zoocol::Model, model},
                                           {zoocol::Epoch, epoch},
                                           {zoocol::WeightRow, weightRow},
                                           {"test_acc", accuracy},
                                           {"train_acc", accuracy + 0.01}});
            }
        }
    return zoo;
}

bool haveFashionMnist()
{
    return QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
}

} // namespace wse::test
