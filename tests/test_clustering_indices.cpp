// The five clustering indices of the paper's Table 2 against scikit-learn's values (fixtures made
// by tests/fixtures/make_cluster_index_fixtures.py with Debian's python3-sklearn), to 1e-9.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "sparsity_probe/clustering_indices.hpp"

using namespace sparsity_probe;

TEST_CASE("clustering indices equal scikit-learn's on every fixture") {
    std::ifstream in(std::string(SPARSITY_PROBE_FIXTURES) + "/cluster_indices.txt");
    REQUIRE(in);
    std::string header;
    int cases = 0;
    while (std::getline(in, header)) {
        std::istringstream h(header);
        std::string name;
        std::size_t n = 0;
        double expected[5];
        h >> name >> n >> expected[0] >> expected[1] >> expected[2] >> expected[3] >> expected[4];
        std::vector<std::int64_t> truth(n), predicted(n);
        for (auto& v : truth) in >> v;
        for (auto& v : predicted) in >> v;
        in >> std::ws;
        CAPTURE(name);
        const ClusteringIndices got = clustering_indices(truth, predicted);
        const double actual[5] = {got.adjusted_rand, got.adjusted_mutual_information, got.homogeneity, got.completeness,
                                  got.fowlkes_mallows};
        const char* names[5] = {"ARI", "AMI", "homogeneity", "completeness", "Fowlkes-Mallows"};
        for (int k = 0; k < 5; ++k) {
            CAPTURE(names[k]);
            CHECK(std::abs(actual[k] - expected[k]) <= 1e-9 * std::max(1.0, std::abs(expected[k])));
        }
        ++cases;
    }
    CHECK(cases == 10);
}
