#!/usr/bin/python3
"""Deterministic workloads for the speed benchmark (issue 5), written once as .npy files.

Every workload is one folder holding `<name>.npy` (float32, samples x features) and `labels.npy`
(int64), so the CLI (`analyze <name>.npy labels.npy`), the WebAssembly builds and scikit-learn read
the same bytes. Files are only rewritten when missing or when this generator's version changes.

  W1  10,000 x 512, 10 classes: uniform random features, random labels (the worst case: the
      trees grow to full depth everywhere)
  W2   4,000 x 1,280, 10 classes: a random ReLU layer applied to Gaussian-quantile data in 8-D
      (classes are shells of equal probability by distance to the centre)
  W3  50,000 x 256, 100 classes: Gaussian class clusters (random class means, unit noise), as a
      last hidden layer of a 100-class network might look
  scaling/n<N>_d<D>: W1-style data for the time-versus-size table
"""
import json
import os
import sys

import numpy as np

VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

# The time-versus-size table: samples at 256 features, features at 5,000 samples.
SCALING_N = [1000, 2000, 5000, 10000, 20000, 50000, 100000]
SCALING_N_FEATURES = 256
SCALING_D = [64, 128, 256, 512, 1024, 2048, 4096]
SCALING_D_SAMPLES = 5000


def w1(rng, n=10000, d=512, classes=10):
    x = rng.random((n, d), dtype=np.float32)
    y = rng.integers(0, classes, n)
    return x, y


def w2(rng, n=4000, d=1280, classes=10, dims=8):
    z = rng.standard_normal((n, dims))
    # Shells of equal probability: the squared radius of an isotropic Gaussian is chi-square, so
    # rank by radius and cut the ranks into equal parts (as make_gaussian_quantiles does).
    radius = np.einsum("ij,ij->i", z, z)
    y = np.empty(n, dtype=np.int64)
    y[np.argsort(radius, kind="stable")] = np.arange(n) * classes // n
    w = rng.standard_normal((dims, d)) / np.sqrt(dims)
    b = 0.5 * rng.standard_normal(d)
    x = np.maximum(z @ w + b, 0.0).astype(np.float32)
    return x, y


def w3(rng, n=50000, d=256, classes=100):
    means = 0.35 * rng.standard_normal((classes, d))
    y = rng.integers(0, classes, n)
    x = (means[y] + rng.standard_normal((n, d))).astype(np.float32)
    return x, y


def write(folder, name, x, y):
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(x, dtype=np.float32))
    np.save(os.path.join(folder, "labels.npy"), y.astype(np.int64))


def workloads():
    yield "W1", "W1", lambda: w1(np.random.default_rng(1))
    yield "W2", "W2", lambda: w2(np.random.default_rng(2))
    yield "W3", "W3", lambda: w3(np.random.default_rng(3))
    for n in SCALING_N:
        yield f"scaling/n{n}_d{SCALING_N_FEATURES}", "X", lambda n=n: w1(np.random.default_rng(100 + n), n, SCALING_N_FEATURES)
    for d in SCALING_D:
        if d == SCALING_N_FEATURES:
            continue
        yield f"scaling/n{SCALING_D_SAMPLES}_d{d}", "X", lambda d=d: w1(np.random.default_rng(200 + d), SCALING_D_SAMPLES, d)


def main():
    only = set(sys.argv[1:])
    stamp_path = os.path.join(DATA, "VERSION")
    stamp = open(stamp_path).read().strip() if os.path.exists(stamp_path) else ""
    fresh = stamp != str(VERSION)
    for folder, name, make in workloads():
        if only and folder.split("/")[0] not in only:
            continue
        path = os.path.join(DATA, folder)
        if not fresh and os.path.exists(os.path.join(path, "labels.npy")):
            continue
        x, y = make()
        write(path, name, x, y)
        print(f"wrote {folder}: {x.shape[0]} x {x.shape[1]}, {len(np.unique(y))} classes", file=sys.stderr)
    os.makedirs(DATA, exist_ok=True)
    with open(stamp_path, "w") as out:
        out.write(f"{VERSION}\n")
    with open(os.path.join(DATA, "manifest.json"), "w") as out:
        json.dump({"version": VERSION, "scaling_n": SCALING_N, "scaling_n_features": SCALING_N_FEATURES,
                   "scaling_d": SCALING_D, "scaling_d_samples": SCALING_D_SAMPLES}, out)


if __name__ == "__main__":
    main()
