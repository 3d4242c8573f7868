#pragma once
// What a workspace records about a map, without the maths that makes it: how the map was made
// (the method, PCA, t-SNE or UMAP, and its parameters under the names of scikit-learn and
// umap-learn, as given on the command line) and how faithful it is (trustworthiness, continuity).
// The workspace reader and its fuzzer need only this.
#include <cstdint>
#include <string>

namespace wse {

enum class DistanceMetric { Euclidean, Cosine };
std::string metricName(DistanceMetric metric);             // "euclidean", "cosine"
DistanceMetric metricFromName(const std::string &name);    // throws UsageError

enum class NeighborSearch { Auto, Exact, Approximate };
std::string searchName(NeighborSearch search);
NeighborSearch searchFromName(const std::string &name);    // "auto", "exact", "approximate"

enum class ProjectionMethod { Pca, Tsne, Umap };
std::string methodName(ProjectionMethod method);                // "pca", "tsne", "umap"
ProjectionMethod methodFromName(const std::string &name);       // throws UsageError

struct ProjectionSettings
{
    ProjectionMethod method = ProjectionMethod::Pca;
    int dims = 3;
    uint64_t seed = 0;
    DistanceMetric metric = DistanceMetric::Euclidean; // t-SNE / UMAP input space and quality ranks
    NeighborSearch search = NeighborSearch::Auto;
    // t-SNE (defaults of scikit-learn 1.2 with init = "pca", learning_rate = "auto")
    double perplexity = 30.0;
    double learningRate = 0.0; // 0: max(N / early_exaggeration / 4, 50)
    double earlyExaggeration = 12.0;
    int exaggerationIterations = 250;
    int iterations = 1000;
    double theta = 0.5;        // Barnes-Hut accuracy (0: exact forces, slow)
    // UMAP (defaults of umap-learn)
    int neighbors = 15;        // including the point itself, as umap-learn counts
    double minDist = 0.1;
    double spread = 1.0;
    int epochs = 0;            // 0: 500 up to 10,000 points, else 200
    double negativeRate = 5.0;
    std::string init = "spectral"; // spectral, pca or random (UMAP); t-SNE always starts from PCA
    int qualityK = 10;         // 0: skip trustworthiness/continuity

    // Sets one parameter by its umap-learn / scikit-learn name (n_neighbors, min_dist, perplexity,
    // early_exaggeration, learning_rate, n_iter, n_epochs, ...). Throws UsageError naming the key.
    void set(const std::string &key, const std::string &value);
    std::string toJson() const;
    static ProjectionSettings fromJson(const std::string &json); // throws FormatError
    std::string describe() const; // "UMAP 3D, n_neighbors 15, min_dist 0.1, seed 0"
};

struct MapQuality
{
    int k = 10;
    double trustworthiness = 0.0;
    double continuity = 0.0;
    int64_t queries = 0; // points whose neighbourhoods were compared
    int64_t points = 0;

    bool sampled() const { return queries < points; }
    std::string describe() const; // "trustworthiness 0.981, continuity 0.975 (k = 10, all 10000 points)"
};

} // namespace wse
