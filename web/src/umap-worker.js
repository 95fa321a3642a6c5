// UMAP (the umap-js package) in a worker of its own: it is JavaScript, not part of the C++ core,
// and takes seconds on thousands of points, so it must not block the page or the probe's worker.
// Seeded: the same layer and seed give the same picture.
import { UMAP } from 'umap-js';

// Mulberry32: a small seeded generator for UMAP's random choices.
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

self.onmessage = (event) => {
  const { data, shape, seed = 0 } = event.data;
  const [n, d] = shape;
  const rows = new Array(n);
  for (let i = 0; i < n; ++i) rows[i] = Array.from(data.subarray(i * d, (i + 1) * d));
  try {
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, random: seeded(seed) });
    const epochs = umap.initializeFit(rows);
    for (let epoch = 0; epoch < epochs; ++epoch) {
      umap.step();
      if (epoch % 25 === 0) self.postMessage({ type: 'progress', fraction: epoch / epochs });
    }
    const embedding = umap.getEmbedding();
    const coordinates = new Float32Array(2 * n);
    embedding.forEach(([x, y], i) => {
      coordinates[2 * i] = x;
      coordinates[2 * i + 1] = y;
    });
    self.postMessage({ type: 'done', coordinates }, [coordinates.buffer]);
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error && error.message ? error.message : error) });
  }
};
