#pragma once
// Helpers shared by the test suites: small zoos made on the spot and the Python oracle.
#include "common/pythonoracle.h"
#include "zoo/zoo.h"

#include <QString>
#include <QStringList>

namespace wse::test {

// A zoo of CNN-s checkpoints whose weights form `clusters` well separated groups (by position
// and scale of the large weights; one per value
// of the text column "init": init_0, init_1, ...) with `perCluster` models and `epochs`+1
// checkpoints each; test_acc rises with the epoch. Deterministic for a given seed.
Zoo makeSyntheticZoo(int clusters = 3, int perCluster = 4, int epochs = 3, unsigned seed = 7);

// Whether Debian's dataset-fashion-mnist package is installed (the tests that train skip without it).
bool haveFashionMnist();

} // namespace wse::test
