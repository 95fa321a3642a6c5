#!/usr/bin/python3
"""The peer: scikit-learn's RandomForestRegressor fitted to the same one-hot targets as the probe
(3 trees, depth 15, all features per split, bootstrap, all cores). Only the forest fit is timed,
the one part of the probe scikit-learn does. Prints one JSON line: {"seconds", "peak_kib", ...}.

usage: /usr/bin/python3 bench/sklearn_fit.py FOLDER NAME [--trees 3] [--depth 15]
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestRegressor


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("name")
    parser.add_argument("--trees", type=int, default=3)
    parser.add_argument("--depth", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    x = np.load(os.path.join(args.folder, args.name + ".npy"))
    labels = np.load(os.path.join(args.folder, "labels.npy"))
    classes, dense = np.unique(labels, return_inverse=True)
    targets = np.zeros((len(labels), len(classes)))
    targets[np.arange(len(labels)), dense] = 1.0
    # Min-max normalisation, as the probe does (trees are invariant to it; it is not timed).
    low, high = x.min(axis=0), x.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    x = ((x - low) / span).astype(np.float32)

    forest = RandomForestRegressor(n_estimators=args.trees, max_depth=args.depth, max_features=1.0,
                                   bootstrap=True, n_jobs=-1, random_state=args.seed)
    started = time.perf_counter()
    forest.fit(x, targets)
    seconds = time.perf_counter() - started
    nodes = sum(tree.tree_.node_count for tree in forest.estimators_)
    print(json.dumps({"seconds": seconds, "nodes": nodes, "sklearn": sklearn.__version__,
                      "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
